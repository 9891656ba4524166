/**
 * `npm run bench:large`: one large call, ours beside Dubbo's Java generic consumer in the same run.
 * `TypesService.echoNested(Order)` with an Order of N `Item {sku, qty, price}` (default 100 000),
 * sent and echoed back by a Dubbo 3.3 provider. Reports per side the median time of a call, and for
 * this library the longest single event-loop block while encoding the request (the synchronous part
 * of invoke()) and while the reply is read and decoded (the largest gap of a 1 ms ticker).
 *
 *   npm run bench:large [-- --items N --calls N --json]
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveOptions } from '../lib/options/resolve-options.js';
import { DubboConsumer } from '../lib/consumer/dubbo-consumer.js';
import { DubboProvider } from '../tools/dubbo-env/dubbo-provider.js';
import { javaGenericLoad } from '../tools/dubbo-env/java-consumer.js';
import { buildFixtures } from '../tools/dubbo-env/java-fixtures.js';
import { ZooKeeperServer } from '../tools/dubbo-env/zookeeper-server.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const ITEMS = option('items', 100_000);
const CALLS = option('calls', 7);
const JSON_OUT = argv.includes('--json');
const TYPES = 'org.apache.dubbo.test.TypesService';
const ORDER = 'org.apache.dubbo.test.Order';
// The reply carries a class name per item (PojoUtils' generic form): give both directions room.
const PAYLOAD = 32 * 1024 * 1024;

const started = Date.now();
const log = (line: string): void => {
  process.stderr.write(`[bench:large ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}\n`);
};

function order(items: number): Record<string, unknown> {
  return {
    id: 'order-7',
    items: Array.from({ length: items }, (_, i) => ({
      sku: `sku-${String(i).padStart(6, '0')}`,
      qty: i % 1000,
      price: `${i % 100}.${String(i % 97).padStart(2, '0')}`,
    })),
    meta: { source: 'bench' },
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** The largest gap between 1 ms ticks while `run` is under way: the longest event-loop block. */
async function longestBlock<T>(run: () => Promise<T>): Promise<{ value: T; blockMs: number }> {
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  try {
    const value = await run();
    worst = Math.max(worst, performance.now() - last);
    return { value, blockMs: worst };
  } finally {
    clearInterval(ticker);
  }
}

async function ours(zk: string): Promise<{ medianMs: number; encodeBlockMs: number; replyBlockMs: number; requestBytes: number }> {
  const consumer = new DubboConsumer(
    resolveOptions({ application: 'bench-large', registry: { address: zk }, maxPayloadBytes: PAYLOAD, logger: false }),
  );
  await consumer.start();
  const call = async (): Promise<{ totalMs: number; encodeMs: number; replyBlockMs: number }> => {
    const arg = order(ITEMS);
    const t0 = performance.now();
    const pending = consumer.invoke<Record<string, unknown>>({
      service: TYPES,
      version: '1.0.0',
      method: 'echoNested',
      parameterTypes: [ORDER],
      args: [arg],
      timeoutMs: 60_000,
    });
    const encodeMs = performance.now() - t0;
    const { value, blockMs } = await longestBlock(() => pending);
    const totalMs = performance.now() - t0;
    const items = value['items'] as Array<Record<string, unknown>>;
    if (items.length !== ITEMS || items[ITEMS - 1]!['sku'] !== `sku-${String(ITEMS - 1).padStart(6, '0')}`) {
      throw new Error('the echoed order differs from the one sent');
    }
    return { totalMs, encodeMs, replyBlockMs: blockMs };
  };
  try {
    // The first call creates the reference and connection; two calls warm the JIT.
    await call();
    await call();
    const runs = [];
    for (let i = 0; i < CALLS; i++) {
      runs.push(await call());
    }
    return {
      medianMs: median(runs.map((r) => r.totalMs)),
      encodeBlockMs: Math.max(...runs.map((r) => r.encodeMs)),
      replyBlockMs: Math.max(...runs.map((r) => r.replyBlockMs)),
      requestBytes: 0,
    };
  } finally {
    await consumer.close();
  }
}

async function main(): Promise<void> {
  buildFixtures((l) => log(l));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-large-'));
  let zk: ZooKeeperServer | undefined;
  let provider: DubboProvider | undefined;
  try {
    zk = await ZooKeeperServer.start();
    provider = await DubboProvider.start({ zk: zk.connectString, services: ['types'], params: { payload: String(PAYLOAD) } });
    log(`provider ready; ${ITEMS} items per call`);
    const mine = await ours(zk.connectString);
    log(`nestjs-dubbo-generic: median ${mine.medianMs.toFixed(0)} ms per call`);
    const argsFile = path.join(dir, 'args.json');
    writeFileSync(argsFile, JSON.stringify([order(ITEMS)]));
    const java = await javaGenericLoad(
      {
        zk: zk.connectString,
        interface: TYPES,
        version: '1.0.0',
        method: 'echoNested',
        types: [ORDER],
        args: [],
        argsFile,
        timeoutMs: 60_000,
      },
      { concurrency: 1, durationSec: 10, warmupSec: 5 },
    );
    log(`java-generic: p50 ${java.p50Ms} ms per call (${java.calls} calls, ${java.errors} errors)`);
    const result = {
      items: ITEMS,
      oursMedianMs: Math.round(mine.medianMs),
      javaP50Ms: Math.round(java.p50Ms),
      ratioToJava: Number((mine.medianMs / java.p50Ms).toFixed(2)),
      encodeBlockMs: Math.round(mine.encodeBlockMs),
      replyBlockMs: Math.round(mine.replyBlockMs),
      javaErrors: java.errors,
    };
    if (JSON_OUT) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(
        [
          `| ${ITEMS} Item POJOs, echoNested | median ms per call | longest event-loop block |`,
          '|---|---:|---|',
          `| nestjs-dubbo-generic | ${result.oursMedianMs} | encode ${result.encodeBlockMs} ms, reply ${result.replyBlockMs} ms |`,
          `| Java generic consumer | ${result.javaP50Ms} (p50) | – |`,
          `| ratio (ours / Java) | ${result.ratioToJava} | |`,
          '',
        ].join('\n'),
      );
    }
  } finally {
    await provider?.stop();
    await zk?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
