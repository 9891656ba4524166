import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SerializationError } from '../../../lib/errors/index.js';
import { resolveOptions } from '../../../lib/options/resolve-options.js';
import { DubboConsumer } from '../../../lib/consumer/dubbo-consumer.js';
import { FakeDubboProvider } from '../../helpers/fake-dubbo-provider.js';
import { exposeGc, heapAfterGc } from '../../../tools/heap.js';

/**
 * Memory is bounded by the services, never by what callers send: method names, attachment keys and
 * argument sizes are caller-chosen, so none of them may grow a cache or pin a buffer.
 */

const CALLS = 200_000;
const IN_FLIGHT = 256;
const gc = exposeGc();

let provider: FakeDubboProvider;
let consumer: DubboConsumer;

beforeAll(async () => {
  provider = await FakeDubboProvider.start((request, p) => p.reply(request, null));
  // The fake keeps what it decoded; these tests look at the client only.
  provider.requests.push = () => 0;
  consumer = new DubboConsumer(resolveOptions({ application: 'memory', registry: { direct: [`dubbo://127.0.0.1:${provider.port}`] } }));
  await consumer.start();
});

afterAll(async () => {
  await consumer.close();
  await provider.close();
});

async function run(count: number, make: (i: number) => Parameters<DubboConsumer['invoke']>[0]): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      await consumer.invoke(make(next++));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

const base = { service: 'com.acme.Memory', parameterTypes: ['java.lang.String'], args: ['x'] };

describe('caller-chosen strings do not grow memory', () => {
  it(`${CALLS} calls with distinct method names: post-GC heap growth < 2 MB`, async () => {
    await run(5_000, (i) => ({ ...base, method: `warm${i}` }));
    const before = await heapAfterGc(gc);
    await run(CALLS, (i) => ({ ...base, method: `m${i}` }));
    const growth = (await heapAfterGc(gc)) - before;
    console.log(`[memory] distinct methods: heap growth ${(growth / 1024).toFixed(0)} KiB over ${CALLS} calls`);
    expect(growth).toBeLessThan(2 * 1024 * 1024);
  }, 120_000);

  it(`${CALLS} calls with distinct attachment keys: post-GC heap growth < 2 MB`, async () => {
    await run(5_000, (i) => ({ ...base, method: 'echo', attachments: { [`warm-${i}`]: 'v' } }));
    const before = await heapAfterGc(gc);
    await run(CALLS, (i) => ({ ...base, method: 'echo', attachments: { [`k-${i}`]: 'v', [`j-${i}`]: 'w' } }));
    const growth = (await heapAfterGc(gc)) - before;
    console.log(`[memory] distinct attachment keys: heap growth ${(growth / 1024).toFixed(0)} KiB over ${CALLS} calls`);
    expect(growth).toBeLessThan(2 * 1024 * 1024);
  }, 120_000);
});

describe('oversized arguments are refused at once and leave nothing behind', () => {
  it.each([
    ['a 1e9-element sparse array', (): unknown => new Array(1e9), 'java.util.List'],
    ['a 100 MB string', (): unknown => 'x'.repeat(100 * 1024 * 1024), 'java.lang.String'],
  ])('%s: SerializationError in < 50 ms of event-loop time, < 10 MB retained', async (_name, make, type) => {
    await consumer.invoke({ ...base, method: 'echo' });
    const before = await heapAfterGc(gc);
    const rssBefore = process.memoryUsage().arrayBuffers;
    let arg: unknown = make();
    const started = performance.now();
    const call = consumer.invoke({ service: base.service, method: 'echo', parameterTypes: [type], args: [arg] });
    const syncMs = performance.now() - started;
    arg = undefined;
    const error = await call.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SerializationError);
    expect((error as SerializationError).context).toMatchObject({ reason: 'payload-limit', maxPayloadBytes: 8 * 1024 * 1024 });
    expect((error as SerializationError).message).toBe(
      'Request body of com.acme.Memory.echo exceeds the payload limit of 8388608 bytes (maxPayloadBytes); nothing was sent',
    );
    expect(syncMs).toBeLessThan(50);
    // The connection still works, and its encoder gave back what it grew.
    await expect(consumer.invoke({ ...base, method: 'echo' })).resolves.toBeNull();
    const retained = (await heapAfterGc(gc)) - before;
    const buffers = process.memoryUsage().arrayBuffers - rssBefore;
    expect(retained + buffers).toBeLessThan(10 * 1024 * 1024);
  });
});
