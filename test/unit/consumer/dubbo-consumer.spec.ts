import { afterEach, describe, expect, it } from '@jest/globals';
import { ClientClosedError, ConnectionClosedError, RegistryConnectionError } from '../../../lib/errors/index.js';
import { type DubboGenericModuleOptions } from '../../../lib/interfaces/dubbo-generic-options.interface.js';
import { type DubboClientStatus } from '../../../lib/interfaces/status.interface.js';
import { silentLogger } from '../../../lib/logging/logger.js';
import { resolveOptions } from '../../../lib/options/resolve-options.js';
import { DubboConsumer } from '../../../lib/consumer/dubbo-consumer.js';
import { echoHandler, FakeDubboProvider, type FakeRequest } from '../../helpers/fake-dubbo-provider.js';
import { FakeRegistry } from '../../helpers/fake-registry.js';
import { Deferred } from '../../../lib/utils/deferred.js';

// The composition root on its own: start-up, the registry's status mapped onto the client's,
// drain then close, and the diagnostics counters — with a FakeRegistry and loopback providers.
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

function consumerWith(registry: FakeRegistry, extra: Partial<DubboGenericModuleOptions> = {}, warnings: string[] = []) {
  const options = resolveOptions({ application: 'consumer-spec', registry: { direct: ['dubbo://127.0.0.1:1'] }, ...extra });
  const consumer = new DubboConsumer(options, { registry, logger: { ...silentLogger, warn: (m: string) => warnings.push(m) } });
  const statuses: DubboClientStatus[] = [];
  consumer.onStatus((s) => statuses.push(s));
  open.push(consumer);
  return { consumer, statuses };
}

async function provider(handler = echoHandler): Promise<FakeDubboProvider> {
  const p = await FakeDubboProvider.start(handler);
  open.push(p);
  return p;
}

const echo = (consumer: DubboConsumer, service = 'org.acme.S', text = 'x') =>
  consumer.invoke<string>({ service, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: [text] });

describe('DubboConsumer start-up', () => {
  it('connects the registry once: idle → connecting → ready', async () => {
    const registry = new FakeRegistry([]);
    registry.status = 'idle';
    const { consumer, statuses } = consumerWith(registry);
    expect(consumer.status).toBe('idle');
    await consumer.start();
    await consumer.start();
    expect(statuses).toEqual(['connecting', 'ready']);
    expect(registry.connectCalls).toBe(1);
  });

  it("with onRegistryUnavailable 'fail', a refused connect fails start-up and closes the registry", async () => {
    const registry = new FakeRegistry([]);
    registry.refuseConnect = true;
    const { consumer, statuses } = consumerWith(registry, { onRegistryUnavailable: 'fail' });
    await expect(consumer.start()).rejects.toBeInstanceOf(RegistryConnectionError);
    expect(statuses).toEqual(['connecting', 'closed']);
    expect(registry.closeCalls).toBe(1);
    await expect(echo(consumer)).rejects.toBeInstanceOf(ClientClosedError);
  });

  it("with onRegistryUnavailable 'background', a refused connect logs once and waits for the registry", async () => {
    const registry = new FakeRegistry([]);
    registry.refuseConnect = true;
    const warnings: string[] = [];
    const { consumer, statuses } = consumerWith(registry, { onRegistryUnavailable: 'background' }, warnings);
    await consumer.start();
    expect(statuses).toEqual(['connecting', 'reconnecting']);
    expect(warnings).toEqual(['registry unavailable at start-up, retrying in the background: fake registry refuses to connect']);
    registry.setStatus('connected');
    expect(consumer.status).toBe('ready');
  });
});

describe('DubboConsumer follows its registry', () => {
  it('is reconnecting while the registry is disconnected or recovering a session, ready again once connected', async () => {
    const registry = new FakeRegistry([]);
    const { consumer, statuses } = consumerWith(registry);
    await consumer.start();
    registry.setStatus('disconnected');
    registry.setStatus('connected');
    registry.setStatus('expired-recovering');
    registry.setStatus('connected');
    expect(statuses).toEqual(['connecting', 'ready', 'reconnecting', 'ready', 'reconnecting', 'ready']);
  });

  it('ignores the registry once draining, and stops listening to it when closed', async () => {
    const registry = new FakeRegistry([]);
    const { consumer, statuses } = consumerWith(registry);
    await consumer.start();
    expect(registry.statusListenerCount).toBe(1);
    await consumer.close();
    registry.setStatus('connected');
    expect(statuses).toEqual(['connecting', 'ready', 'draining', 'closed']);
    expect(registry.statusListenerCount).toBe(0);
  });
});

describe('DubboConsumer drain then close', () => {
  it('rejects new calls with ClientClosedError while in-flight ones finish, then closes the registry once', async () => {
    const held = new Deferred<FakeRequest>();
    const p = await provider((request) => held.resolve(request));
    const registry = new FakeRegistry([p.address]);
    const { consumer, statuses } = consumerWith(registry);
    await consumer.start();
    const inFlight = echo(consumer, 'org.acme.S', 'late');
    const request = await held.promise;
    expect(consumer.inFlight).toBe(1);
    const closing = consumer.close();
    expect(consumer.status).toBe('draining');
    const refused = await echo(consumer).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClientClosedError);
    expect(registry.closeCalls).toBe(0);
    p.reply(request, 'answered while draining');
    await expect(inFlight).resolves.toBe('answered while draining');
    await closing;
    expect(statuses.slice(-2)).toEqual(['draining', 'closed']);
    expect(registry.closeCalls).toBe(1);
    expect(consumer.close()).toBe(closing);
  });

  it('gives up on calls still in flight after shutdownTimeoutMs, says how many, and closes', async () => {
    const held = new Deferred<FakeRequest>();
    const p = await provider((request) => held.resolve(request));
    const warnings: string[] = [];
    const { consumer } = consumerWith(new FakeRegistry([p.address]), { shutdownTimeoutMs: 150 }, warnings);
    await consumer.start();
    const stuck = echo(consumer).catch((e: unknown) => e);
    await held.promise;
    const t0 = performance.now();
    await consumer.close();
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(1500);
    expect(warnings).toEqual(['1 Dubbo call(s) still in flight after shutdownTimeoutMs=150; closing their connections']);
    // Its connection is closed under it.
    const error = (await stuck) as ConnectionClosedError;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error.code).toBe('CONNECTION_CLOSED');
    expect(consumer.status).toBe('closed');
  });
});

describe('DubboConsumer diagnostics', () => {
  it('counts references, subscriptions, pooled connections and leases exactly', async () => {
    const p = await provider();
    const registry = new FakeRegistry([p.address]);
    const { consumer } = consumerWith(registry, { connections: 2, maxReferences: 50, maxServices: 40 });
    await consumer.start();
    expect(consumer.diagnostics()).toMatchObject({
      status: 'ready',
      references: { cached: 0, created: 0, max: 50 },
      services: { subscribed: 0, max: 40 },
      connections: { addresses: 0, total: 0, leases: 0 },
      inFlight: 0,
    });
    for (let i = 0; i < 10; i++) {
      await echo(consumer, 'org.acme.A');
      await echo(consumer, 'org.acme.B');
    }
    await consumer.invoke({ service: 'org.acme.A', version: '2.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['v2'] });
    const d = consumer.diagnostics();
    expect(d.references).toEqual({ cached: 3, created: 3, max: 50 });
    expect(d.services).toEqual({ subscribed: 2, max: 40 });
    // One address, two connections (the `connections` option), one lease per reference on it.
    expect(d.connections).toEqual({ addresses: 1, total: 2, leases: 3 });
    expect(d.registry.kind).toBe('direct');
    expect(d.registry.listeners).toBe(3);
    expect(registry.subscribeCalls).toBe(3);
  });
});
