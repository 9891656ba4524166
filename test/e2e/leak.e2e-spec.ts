import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DubboGenericModule, GenericClient, NoProviderError } from 'nestjs-dubbo-generic';
import { DubboProvider } from '../../tools/dubbo-env/dubbo-provider.js';
import { exposeGc, heapAfterGc, slope } from '../../tools/heap.js';
import { ZooKeeperServer } from '../../tools/dubbo-env/zookeeper-server.js';

// The scenario this project exists for: a gateway calling 1000 interfaces the naive way (a fresh call
// object and a fresh service handle per request). Memory and watches must depend on the number of
// interfaces only, never on the number of calls.
const INTERFACES = 1000;
const CALLS = 200_000;
const IN_FLIGHT = 256;
const SAMPLE_EVERY = 20_000;

const gc = exposeGc();
let zk: ZooKeeperServer;
let provider: DubboProvider;
let app: INestApplication;

beforeAll(async () => {
  zk = await ZooKeeperServer.start();
  provider = await DubboProvider.start({ zk: zk.connectString, many: INTERFACES, services: [], startTimeoutMs: 120000 });
  const moduleRef = await Test.createTestingModule({
    imports: [DubboGenericModule.forRoot({ application: 'leak-gateway', registry: { address: zk.connectString }, logger: false })],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
}, 240000);

afterAll(async () => {
  await app?.close();
  await provider?.kill();
  await zk?.close();
});

function iface(i: number): string {
  return `org.apache.dubbo.test.many.Service${String(i).padStart(4, '0')}`;
}

/** Runs `total` calls with IN_FLIGHT in flight, each built the naive way. */
async function naiveCalls(client: GenericClient, from: number, total: number): Promise<void> {
  let next = from;
  const end = from + total;
  const worker = async (): Promise<void> => {
    while (next < end) {
      const n = next++;
      const handle = client.service(iface(n % INTERFACES), { version: '1.0.0' });
      const out = await handle.$invoke('echo', ['java.lang.String'], [`call-${n}`]);
      if (out !== `Service${String(n % INTERFACES).padStart(4, '0')}:call-${n}`) {
        throw new Error(`unexpected answer ${String(out)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

describe('naive gateway over 1000 interfaces', () => {
  it('keeps references, watchers, connections and heap bounded by interfaces, not calls', async () => {
    const client = app.get(GenericClient);
    const providerWatches = await zk.watchCount();

    // Warm-up: every interface once, then a little more.
    await naiveCalls(client, 0, INTERFACES + 2000);
    const warm = client.diagnostics();
    const stats = warm.registry;
    const categories = stats.pathsKnown / stats.services;
    expect(warm.references.cached).toBe(INTERFACES);
    expect(warm.services.subscribed).toBe(INTERFACES);
    expect(stats.services).toBe(INTERFACES);
    expect(stats.maxWatcherFunctionsPerPath).toBe(1);
    const watchesAfterWarmup = await zk.watchCount();
    expect(watchesAfterWarmup - providerWatches).toBe(INTERFACES * categories);
    const getChildrenAfterWarmup = stats.getChildrenCalls;

    const samples: Array<[number, number]> = [[0, await heapAfterGc(gc)]];
    for (let done = 0; done < CALLS; done += SAMPLE_EVERY) {
      await naiveCalls(client, INTERFACES + 2000 + done, SAMPLE_EVERY);
      samples.push([done + SAMPLE_EVERY, await heapAfterGc(gc)]);
    }

    const endDiagnostics = client.diagnostics();
    const end = endDiagnostics.registry;
    const bytesPerCall = slope(samples);
    const growth = samples[samples.length - 1]![1] - samples[0]![1];
    console.log(
      JSON.stringify({
        calls: CALLS,
        interfaces: INTERFACES,
        references: endDiagnostics.references.cached,
        maxListenersPerPath: end.maxWatcherFunctionsPerPath,
        zkWatchCountOurs: (await zk.watchCount()) - providerWatches,
        connections: endDiagnostics.connections.total,
        heapSlopeBytesPerCall: Number(bytesPerCall.toFixed(3)),
        heapGrowthBytes: growth,
      }),
    );
    expect(endDiagnostics.references.cached).toBe(INTERFACES);
    expect(endDiagnostics.references.created).toBe(INTERFACES);
    expect(end.maxWatcherFunctionsPerPath).toBe(1);
    expect(end.clientsCreated).toBe(1);
    // A warm call makes no ZooKeeper request.
    expect(end.getChildrenCalls).toBe(getChildrenAfterWarmup);
    expect(await zk.watchCount()).toBe(watchesAfterWarmup);
    expect(endDiagnostics.connections).toEqual({ addresses: 1, total: 1, leases: INTERFACES });
    expect(bytesPerCall).toBeLessThan(20);

    // A service with no provider: one subscription, however many calls fail.
    const missing = client.service('org.apache.dubbo.test.many.Missing', { version: '1.0.0' });
    for (let i = 0; i < 10_000; i++) {
      await expect(missing.$invoke('echo', ['java.lang.String'], ['x'])).rejects.toBeInstanceOf(NoProviderError);
    }
    const afterDiagnostics = client.diagnostics();
    const after = afterDiagnostics.registry;
    expect(after.services).toBe(INTERFACES + 1);
    expect(afterDiagnostics.services.subscribed).toBe(INTERFACES + 1);
    expect(afterDiagnostics.references.created).toBe(INTERFACES + 1);
    expect(after.maxWatcherFunctionsPerPath).toBe(1);
    expect(await zk.watchCount()).toBe(watchesAfterWarmup + categories);
  }, 600000);
});
