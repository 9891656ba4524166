import { afterEach, describe, expect, it } from '@jest/globals';
import { RpcTimeoutError } from '../../../lib/errors/index.js';
import { type ResolvedCallDefaults } from '../../../lib/options/resolve-options.js';
import { type DubboLogger, silentLogger } from '../../../lib/logging/logger.js';
import { Reference } from '../../../lib/reference/reference.js';
import { ConnectionPool } from '../../../lib/transport/connection-pool.js';
import { echoHandler, FakeDubboProvider } from '../../helpers/fake-dubbo-provider.js';
import { FakeRegistry } from '../../helpers/fake-registry.js';

// A real Reference over loopback connections to fake providers, driven by a FakeRegistry: which
// setting wins (call > declared reference > provider URL > module defaults), and what a provider
// list change does to the leases on the shared pool.
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

async function provider(handler = echoHandler): Promise<FakeDubboProvider> {
  const p = await FakeDubboProvider.start(handler);
  open.push(p);
  return p;
}

const MODULE_DEFAULTS: ResolvedCallDefaults = { timeoutMs: 3000, retries: 2, cluster: 'failover', loadbalance: 'random' };

function reference(registry: FakeRegistry, declared?: Partial<ResolvedCallDefaults>, logger: DubboLogger = silentLogger) {
  const pool = new ConnectionPool({ logger: silentLogger });
  const ref = new Reference(
    'org.acme.S:1.0.0',
    {
      service: 'org.acme.S',
      version: '1.0.0',
      group: '',
      defaults: { ...MODULE_DEFAULTS, ...declared },
      declared: declared !== undefined,
      application: 'test',
      register: false,
    },
    { registry, pool, logger },
  );
  open.push({ close: () => ref.destroy().then(() => pool.close()) });
  return { ref, pool };
}

const silent = (): void => undefined;
const echo = (ref: Reference, options: { timeoutMs?: number; retries?: number } = {}) =>
  ref.invoke('echo', ['java.lang.String'], ['x'], options);
const sentTimeout = (p: FakeDubboProvider): unknown => p.requests.at(-1)?.call?.attachments['timeout'];

describe('Reference: which setting wins', () => {
  it('timeout: the provider URL beats the module defaults, the call beats the provider URL', async () => {
    const p = await provider();
    const { ref } = reference(new FakeRegistry([`${p.address}?timeout=1234`]));
    await ref.init();
    await echo(ref);
    expect(sentTimeout(p)).toBe('1234');
    await echo(ref, { timeoutMs: 777 });
    expect(sentTimeout(p)).toBe('777');
  });

  it('timeout: a declared reference beats the provider URL; the call still beats both', async () => {
    const p = await provider();
    const { ref } = reference(new FakeRegistry([`${p.address}?timeout=1234`]), { timeoutMs: 2500 });
    await ref.init();
    await echo(ref);
    expect(sentTimeout(p)).toBe('2500');
    await echo(ref, { timeoutMs: 50 });
    expect(sentTimeout(p)).toBe('50');
  });

  it('timeout: with nothing on the provider URL, the module default', async () => {
    const p = await provider();
    const { ref } = reference(new FakeRegistry([p.address]));
    await ref.init();
    await echo(ref);
    expect(sentTimeout(p)).toBe('3000');
  });

  it('retries: the provider URL beats the module defaults, the call beats the provider URL', async () => {
    const p = await provider(silent);
    const { ref } = reference(new FakeRegistry([`${p.address}?retries=0`]));
    await ref.init();
    await expect(echo(ref, { timeoutMs: 60 })).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(p.requests).toHaveLength(1);
    await expect(echo(ref, { timeoutMs: 60, retries: 1 })).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(p.requests).toHaveLength(3);
  });

  it('retries: a declared reference beats the provider URL', async () => {
    const p = await provider(silent);
    const { ref } = reference(new FakeRegistry([`${p.address}?retries=3`]), { retries: 1 });
    await ref.init();
    await expect(echo(ref, { timeoutMs: 60 })).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(p.requests).toHaveLength(2);
  });

  it('loadbalance: a provider URL naming a balancer this client does not run gets random, with one warning per reference', async () => {
    const a = await provider();
    const b = await provider();
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    const { ref } = reference(
      new FakeRegistry([`${a.address}?loadbalance=consistenthash`, `${b.address}?loadbalance=consistenthash`]),
      undefined,
      logger,
    );
    await ref.init();
    for (let i = 0; i < 200; i++) {
      await echo(ref);
    }
    expect(warnings).toEqual([
      "org.acme.S:1.0.0: providers ask for loadbalance 'consistenthash', which this client does not run; balancing at random",
    ]);
    // Random over two equal providers: both serve (each with probability 1 - 2^-199 of being picked at least once).
    expect(a.requests.length + b.requests.length).toBe(200);
    expect(a.requests.length).toBeGreaterThan(0);
    expect(b.requests.length).toBeGreaterThan(0);
  });

  it('loadbalance: a declared reference ignores the provider URL (round robin alternates exactly), and nothing is warned', async () => {
    const a = await provider();
    const b = await provider();
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    const { ref } = reference(
      new FakeRegistry([`${a.address}?loadbalance=consistenthash`, `${b.address}?loadbalance=consistenthash`]),
      { loadbalance: 'roundrobin' },
      logger,
    );
    await ref.init();
    for (let i = 0; i < 10; i++) {
      await echo(ref);
    }
    expect([a.requests.length, b.requests.length]).toEqual([5, 5]);
    expect(warnings).toEqual([]);
  });
});

describe('Reference: provider list changes', () => {
  it('leases a connection set per listed provider, releases the ones delisted, and all of them on destroy', async () => {
    const a = await provider();
    const b = await provider();
    const registry = new FakeRegistry([a.address, b.address]);
    const { ref, pool } = reference(registry);
    await ref.init();
    const leased = () => pool.snapshot().map((e) => [e.address, e.refs]);
    expect(leased().sort()).toEqual(
      [
        [a.address, 1],
        [b.address, 1],
      ].sort(),
    );
    registry.publish([b.address]);
    expect(leased()).toEqual([[b.address, 1]]);
    expect(ref.providerList().map((p) => p.address)).toEqual([b.address]);
    await echo(ref);
    expect([a.requests.length, b.requests.length]).toEqual([0, 1]);
    // The same provider listed again keeps its lease: no second acquire.
    registry.publish([b.address, a.address]);
    expect(leased().sort()).toEqual(
      [
        [a.address, 1],
        [b.address, 1],
      ].sort(),
    );
    registry.publish([]);
    expect(leased()).toEqual([]);
    registry.publish([a.address]);
    await ref.destroy();
    expect(leased()).toEqual([]);
    expect(registry.subscribers).toBe(0);
  });
});
