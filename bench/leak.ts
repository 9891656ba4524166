/**
 * `npm run bench:leak`: the naive gateway at scale. A Nest application calls N interfaces of one
 * Dubbo 3.3 provider round robin, building a fresh service handle and call object for every call
 * (the usage that leaks watchers with Java's ReferenceConfig-per-call). Reports references,
 * listener functions per ZooKeeper path, the server's zk_watch_count before and after, connections,
 * the slope of the post-GC heap over the calls (bytes per call) and RSS.
 *
 *   npm run bench:leak                   1000 interfaces × 1 000 000 calls (a few minutes)
 *   npm run bench:leak -- --quick        200 interfaces × 60 000 calls (under a minute)
 *   --json (one JSON object on stdout), --interfaces N, --calls N, --in-flight N
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type * as LibraryModule from '../lib/index.js';
import { DubboProvider } from '../tools/dubbo-env/dubbo-provider.js';
import { exposeGc, heapAfterGc, slope } from '../tools/heap.js';
import { buildFixtures } from '../tools/dubbo-env/java-fixtures.js';
import { ZooKeeperServer } from '../tools/dubbo-env/zookeeper-server.js';
import { buildLibrary, libraryEntry } from './lib/build.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const JSON_OUT = argv.includes('--json');
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const INTERFACES = option('interfaces', QUICK ? 200 : 1000);
const CALLS = option('calls', QUICK ? 60_000 : 1_000_000);
const IN_FLIGHT = option('in-flight', 256);
const SAMPLES = 10;

const started = Date.now();
const log = (line: string): void => {
  process.stderr.write(`[bench:leak ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}\n`);
};

const gc = exposeGc();

function iface(i: number): string {
  return `org.apache.dubbo.test.many.Service${String(i).padStart(4, '0')}`;
}

/** `total` calls, IN_FLIGHT at a time, each through a fresh handle and fresh arrays (the naive way). */
async function naiveCalls(client: LibraryModule.GenericClient, from: number, total: number): Promise<void> {
  let next = from;
  const end = from + total;
  const lane = async (): Promise<void> => {
    while (next < end) {
      const n = next++;
      const i = n % INTERFACES;
      const handle = client.service(iface(i), { version: '1.0.0' });
      const out = await handle.$invoke('echo', ['java.lang.String'], [`call-${n}`]);
      if (out !== `Service${String(i).padStart(4, '0')}:call-${n}`) {
        throw new Error(`unexpected answer ${String(out)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

async function main(): Promise<void> {
  buildFixtures((l) => log(l));
  buildLibrary(log);
  const lib = (await import(libraryEntry())) as typeof LibraryModule;
  let zk: ZooKeeperServer | undefined;
  let provider: DubboProvider | undefined;
  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>> | undefined;
  try {
    zk = await ZooKeeperServer.start();
    log(`starting a Dubbo 3.3 provider exporting ${INTERFACES} interfaces`);
    provider = await DubboProvider.start({ zk: zk.connectString, many: INTERFACES, services: [], startTimeoutMs: 180000 });
    const zkWatchCountStart = await zk.watchCount();
    log(`provider ready; zk_watch_count ${zkWatchCountStart} (the provider's own)`);
    app = await NestFactory.createApplicationContext(
      lib.DubboGenericModule.forRoot({ application: 'bench-leak-gateway', registry: { address: zk.connectString }, logger: false }),
      { logger: false },
    );
    const client = app.get(lib.GenericClient);

    // Warm-up: every interface once (references, subscriptions, the connection), then some more.
    const warm = INTERFACES + Math.min(20_000, Math.floor(CALLS / 10));
    await naiveCalls(client, 0, warm);
    const zkWatchCountAfterWarmup = await zk.watchCount();
    const samples: Array<[number, number]> = [[0, await heapAfterGc(gc)]];
    const step = Math.ceil(CALLS / SAMPLES);
    const t0 = performance.now();
    for (let done = 0; done < CALLS; done += step) {
      const n = Math.min(step, CALLS - done);
      await naiveCalls(client, warm + done, n);
      samples.push([done + n, await heapAfterGc(gc)]);
      log(
        `${done + n} calls, heap after GC ${(samples[samples.length - 1]![1] / 1048576).toFixed(2)} MB, references ${client.diagnostics().references.cached}`,
      );
    }
    const seconds = (performance.now() - t0) / 1000;
    const diagnostics = client.diagnostics();
    const stats = diagnostics.registry;
    const result = {
      calls: CALLS,
      interfaces: INTERFACES,
      references: diagnostics.references.cached,
      referencesCreated: diagnostics.references.created,
      listenersPerPath: stats.maxWatcherFunctionsPerPath,
      zkWatchCountStart,
      zkWatchCountAfterWarmup,
      zkWatchCountEnd: await zk.watchCount(),
      connections: diagnostics.connections.total,
      heapSlopeBytesPerCall: Number(slope(samples).toFixed(3)),
      heapGrowthBytes: samples[samples.length - 1]![1] - samples[0]![1],
      rssMB: Math.round((process.memoryUsage.rss() / 1048576) * 10) / 10,
      callsPerSec: Math.round(CALLS / seconds),
      registryClientsCreated: stats.clientsCreated,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    if (JSON_OUT) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(
        [
          `calls                      ${result.calls} over ${result.interfaces} interfaces (${result.callsPerSec} calls/s, ${IN_FLIGHT} in flight)`,
          `references                 ${result.references} (created ${result.referencesCreated})`,
          `listeners per path         ${result.listenersPerPath}`,
          `zk_watch_count             ${result.zkWatchCountStart} at start → ${result.zkWatchCountAfterWarmup} after warm-up → ${result.zkWatchCountEnd} at end`,
          `connections                ${result.connections}`,
          `heap slope                 ${result.heapSlopeBytesPerCall} bytes/call (post-GC heap ${result.heapGrowthBytes >= 0 ? '+' : ''}${result.heapGrowthBytes} bytes over the run)`,
          `RSS                        ${result.rssMB} MB`,
          '',
        ].join('\n'),
      );
    }
  } finally {
    await app?.close().catch(() => undefined);
    await provider?.kill().catch(() => undefined);
    await zk?.close().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
