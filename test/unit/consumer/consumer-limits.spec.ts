import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LimitExceededError } from '../../../lib/errors/index.js';
import { resolveOptions } from '../../../lib/options/resolve-options.js';
import { DubboConsumer } from '../../../lib/consumer/dubbo-consumer.js';
import { DirectRegistry } from '../../../lib/registry/direct-registry.js';
import { FakeDubboProvider } from '../../helpers/fake-dubbo-provider.js';

/** Callers choose service names, versions and groups: what they create is bounded. */

let provider: FakeDubboProvider;
let consumer: DubboConsumer;
const subscribed: string[] = [];

beforeAll(async () => {
  provider = await FakeDubboProvider.start((request, p) => p.reply(request, request.call?.path ?? null));
  const registry = new DirectRegistry([`dubbo://127.0.0.1:${provider.port}`]);
  const subscribe = registry.subscribe.bind(registry);
  registry.subscribe = (key, listener) => {
    subscribed.push(`${key.interface}:${key.version}`);
    return subscribe(key, listener);
  };
  consumer = new DubboConsumer(
    resolveOptions({ application: 'limits', registry: { direct: ['dubbo://127.0.0.1:1'] }, maxServices: 3, maxReferences: 5 }),
    { registry },
  );
  await consumer.start();
});

afterAll(async () => {
  await consumer.close();
  await provider.close();
});

const call = (service: string, version?: string): Promise<unknown> =>
  consumer.invoke({ service, version, method: 'm', parameterTypes: [], args: [] });

async function limited(p: Promise<unknown>): Promise<LimitExceededError> {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LimitExceededError);
  expect((err as LimitExceededError).code).toBe('LIMIT_EXCEEDED');
  expect((err as LimitExceededError).retriable).toBe(false);
  return err as LimitExceededError;
}

describe('DubboConsumer bounds what callers can make it create', () => {
  it('watches at most maxServices interfaces and keeps at most maxReferences references', async () => {
    await expect(call('a.A')).resolves.toBe('a.A');
    await expect(call('a.B')).resolves.toBe('a.B');
    await expect(call('a.C')).resolves.toBe('a.C');
    const services = await limited(call('a.D'));
    expect(services.context).toEqual({ service: 'a.D', limit: 'maxServices', value: 3 });
    expect(services.message).toMatch(/watches 3 interfaces already \(maxServices 3\)/);
    // New versions of a known interface are new references, not new watches.
    await expect(call('a.A', '1')).resolves.toBe('a.A');
    await expect(call('a.A', '2')).resolves.toBe('a.A');
    const references = await limited(call('a.A', '3'));
    expect(references.context).toEqual({ service: 'a.A', limit: 'maxReferences', value: 5 });
    // What exists is still served, and nothing was created for the refused calls.
    await expect(call('a.B')).resolves.toBe('a.B');
    await expect(call('a.A', '2')).resolves.toBe('a.A');
    expect(consumer.references.size).toBe(5);
    expect(subscribed).toEqual(['a.A:', 'a.B:', 'a.C:', 'a.A:1', 'a.A:2']);
  });
});
