import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransportError } from '../../../lib/errors/index.js';
import { resolveOptions } from '../../../lib/options/resolve-options.js';
import { DubboConsumer } from '../../../lib/consumer/dubbo-consumer.js';
import { FakeDubboProvider } from '../../helpers/fake-dubbo-provider.js';

/**
 * A burst far over the connection's in-flight bound: the extra calls are refused cheaply (one
 * attempt, no stack trace), so the admitted ones still make their deadline.
 */

const IN_FLIGHT = 2_000;
const BURST = 10_000;

let provider: FakeDubboProvider;
let consumer: DubboConsumer;

beforeAll(async () => {
  provider = await FakeDubboProvider.start((request, p) => p.reply(request, 'ok'));
  provider.requests.push = () => 0;
  consumer = new DubboConsumer(
    resolveOptions({
      application: 'burst',
      registry: { direct: [`dubbo://127.0.0.1:${provider.port}`] },
      maxInFlightPerConnection: IN_FLIGHT,
    }),
  );
  await consumer.start();
  await consumer.invoke({ service: 'com.acme.Burst', method: 'm', parameterTypes: [], args: [] });
});

afterAll(async () => {
  await consumer.close();
  await provider.close();
});

describe('a burst over maxInFlightPerConnection', () => {
  it(`admits ${IN_FLIGHT}, refuses the other ${BURST - IN_FLIGHT} with one attempt each, and every admitted call succeeds`, async () => {
    const calls: Array<Promise<unknown>> = [];
    for (let i = 0; i < BURST; i++) {
      calls.push(
        consumer
          .invoke({ service: 'com.acme.Burst', method: 'm', parameterTypes: [], args: [], timeoutMs: 10_000 })
          .catch((e: unknown) => e),
      );
    }
    const results = await Promise.all(calls);
    const refused = results.filter((r): r is TransportError => r instanceof TransportError);
    expect(results.filter((r) => r === 'ok')).toHaveLength(IN_FLIGHT);
    expect(refused).toHaveLength(BURST - IN_FLIGHT);
    for (const r of refused) {
      expect(r.context['reason']).toBe('max-in-flight');
      // Not retried on the provider that refused: nothing else was left to try.
      expect(r.context['attempts']).toBe(1);
    }
    // No stack was captured for them.
    expect(refused[0]!.stack).toBe(`TransportError: ${refused[0]!.message}`);
  }, 60_000);
});
