import { afterEach, describe, expect, it } from '@jest/globals';
import { MethodNotFoundError, NoProviderError, RpcTimeoutError } from '../../../lib/errors/index.js';
import { type LoadBalanceMode } from '../../../lib/interfaces/dubbo-generic-options.interface.js';
import { ResponseStatus } from '../../../lib/protocol/dubbo-header.js';
import { Reference } from '../../../lib/reference/reference.js';
import { silentLogger } from '../../../lib/logging/logger.js';
import { ConnectionPool } from '../../../lib/transport/connection-pool.js';
import { echoHandler, FakeDubboProvider, statusFrame } from '../../helpers/fake-dubbo-provider.js';
import { FakeRegistry } from '../../helpers/fake-registry.js';
import { waitUntil } from '../../helpers/wait.js';

// A real Reference over real loopback connections to fake providers, with a registry the test drives.
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

async function provider(handler = echoHandler): Promise<FakeDubboProvider> {
  const p = await FakeDubboProvider.start(handler);
  open.push(p);
  return p;
}

function reference(
  registry: FakeRegistry,
  opts: { retries?: number; timeoutMs?: number; loadbalance?: LoadBalanceMode; reconnectBaseMs?: number } = {},
) {
  const pool = new ConnectionPool({
    logger: silentLogger,
    reconnectBackoff: opts.reconnectBaseMs === undefined ? undefined : { baseMs: opts.reconnectBaseMs },
  });
  const ref = new Reference(
    'org.acme.S:1.0.0',
    {
      service: 'org.acme.S',
      version: '1.0.0',
      group: '',
      defaults: {
        timeoutMs: opts.timeoutMs ?? 3000,
        retries: opts.retries ?? 2,
        cluster: 'failover',
        loadbalance: opts.loadbalance ?? 'roundrobin',
      },
      declared: true,
      application: 'test',
      register: false,
    },
    { registry, pool, logger: silentLogger },
  );
  open.push({ close: () => ref.destroy().then(() => pool.close()) });
  return { ref, pool };
}

const echo = (ref: Reference, text: string, timeoutMs?: number) => ref.invoke('echo', ['java.lang.String'], [text], { timeoutMs });

/** What a 3.3 provider still exporting answers: status 40, "… not found, invocation rejected". */
const notExportedYet = (p: FakeDubboProvider) => (request: Parameters<typeof echoHandler>[0]) => {
  request.socket.write(
    statusFrame(
      request.id,
      ResponseStatus.BAD_REQUEST,
      'Fail to decode request due to: java.io.IOException: Service org.acme.S:1.0.0 not found, invocation rejected.',
    ),
  );
  void p;
};

describe('Reference failover against providers that refuse or drop', () => {
  it('retries a "not found" answer on another provider and passes the refusing one over for a while', async () => {
    const refusing = await provider();
    refusing.handler = notExportedYet(refusing);
    const serving = await provider();
    const { ref } = reference(new FakeRegistry([refusing.address, serving.address]));
    await ref.init();
    const results: unknown[] = [];
    for (let i = 0; i < 20; i++) {
      results.push(await echo(ref, `n${i}`));
    }
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`));
    // Round robin would send every other call to it; deprioritised, it saw only the first.
    expect(refusing.requests).toHaveLength(1);
    expect(serving.requests).toHaveLength(20);
  });

  it('with one provider, still fails after every attempt was refused, naming the attempts', async () => {
    const refusing = await provider();
    refusing.handler = notExportedYet(refusing);
    const { ref } = reference(new FakeRegistry([refusing.address]));
    await ref.init();
    const error = (await echo(ref, 'x').catch((e: unknown) => e)) as Error & { context: Record<string, unknown> };
    expect(error.name).toBe('ServiceNotFoundError');
    expect(error.message).toContain(
      `(3 attempts on 1 provider: ${refusing.address} SERVICE_NOT_FOUND, ${refusing.address} SERVICE_NOT_FOUND, ${refusing.address} SERVICE_NOT_FOUND)`,
    );
    expect(error.context['attempts']).toBe(3);
    expect(refusing.requests).toHaveLength(3);
  });

  it('the call right after a dropped connection waits for the reconnect instead of failing NO_PROVIDER', async () => {
    const only = await provider();
    const { ref, pool } = reference(new FakeRegistry([only.address]));
    await ref.init();
    await expect(echo(ref, 'before')).resolves.toBe('before');
    only.disconnectAll();
    await waitUntil('the client to see the drop', () => pool.snapshot()[0]?.connections[0]?.status === 'reconnecting');
    const started = performance.now();
    await expect(echo(ref, 'after')).resolves.toBe('after');
    // The first reconnect comes 50–100 ms after the drop.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(only.requests.map((r) => r.call?.args[0])).toEqual(['before', 'after']);
  });

  it('a provider listed again reconnects at once instead of at the end of its reconnect backoff', async () => {
    const only = await provider();
    const registry = new FakeRegistry([only.address]);
    // First reconnect 10–20 s after a drop.
    const { ref, pool } = reference(registry, { reconnectBaseMs: 20000 });
    await ref.init();
    await expect(echo(ref, 'before')).resolves.toBe('before');
    only.disconnectAll();
    await waitUntil('the client to see the drop', () => pool.snapshot()[0]?.connections[0]?.status === 'reconnecting');
    const started = performance.now();
    const call = echo(ref, 'after', 5000);
    // The provider re-registers (a new node for the same address).
    registry.publish([only.address]);
    await expect(call).resolves.toBe('after');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('waits no longer than the call deadline when the provider stays away, then says how long', async () => {
    const gone = await provider();
    const { ref, pool } = reference(new FakeRegistry([gone.address]), { retries: 0 });
    await ref.init();
    await expect(echo(ref, 'before')).resolves.toBe('before');
    await gone.close();
    await waitUntil('the client to see the drop', () => pool.snapshot()[0]?.connections[0]?.status === 'reconnecting');
    const started = performance.now();
    const error = await echo(ref, 'x', 300).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(NoProviderError);
    expect((error as Error).message).toMatch(
      /^No provider available for org\.acme\.S:1\.0\.0: 1 registered, none reachable within 3\d\d ms$/,
    );
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(700);
  });

  it('re-tries timeouts on the only provider and says so: 3 attempts on 1 provider, each timed out after 200 ms', async () => {
    const silent = await provider(() => undefined);
    const { ref } = reference(new FakeRegistry([silent.address]), { timeoutMs: 200 });
    await ref.init();
    const started = performance.now();
    const error = (await echo(ref, 'x').catch((e: unknown) => e)) as RpcTimeoutError;
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error.message).toMatch(/\(3 attempts on 1 provider, each timed out after 200 ms\)$/);
    expect(error.context['attempts']).toBe(3);
    expect(error.context['providersTried']).toEqual([silent.address]);
    expect(silent.requests).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(590);
    expect(elapsed).toBeLessThan(1200);
  });

  it('a wrong parameterTypes is METHOD_NOT_FOUND with the types sent, tried once', async () => {
    const strict = await provider();
    strict.handler = (request) => {
      request.socket.write(
        statusFrame(
          request.id,
          ResponseStatus.SERVICE_ERROR,
          'org.apache.dubbo.rpc.RpcException: No such method echo in class interface org.acme.S\norg.apache.dubbo.rpc.RpcException: No such method echo in class interface org.acme.S\n\tat org.apache.dubbo.rpc.filter.GenericFilter.invoke(GenericFilter.java:1)',
        ),
      );
    };
    const other = await provider();
    const { ref } = reference(new FakeRegistry([strict.address, other.address]));
    await ref.init();
    const error = (await echo(ref, 'x').catch((e: unknown) => e)) as MethodNotFoundError;
    expect(error).toBeInstanceOf(MethodNotFoundError);
    expect(error.code).toBe('METHOD_NOT_FOUND');
    expect(error.message).toBe('No such method echo in class interface org.acme.S; parameterTypes sent: [java.lang.String]');
    expect(error.context['parameterTypes']).toEqual(['java.lang.String']);
    expect(strict.requests.length + other.requests.length).toBe(1);
  });
});

describe('Reference without a provider list yet (registry not connected)', () => {
  it('initialises at once, and a call waits for the list within its deadline, then NoProviderError', async () => {
    const registry = new FakeRegistry();
    registry.status = 'connecting';
    const { ref } = reference(registry);
    await ref.init();
    const started = performance.now();
    const error = await echo(ref, 'x', 400).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(NoProviderError);
    expect((error as Error).message).toMatch(/no provider list from the registry \(connecting\) within 4\d\d ms$/);
    expect(elapsed).toBeGreaterThanOrEqual(395);
    expect(elapsed).toBeLessThan(800);
    expect(registry.subscribeCalls).toBe(1);
  });

  it('a waiting call goes out as soon as the list arrives', async () => {
    const p = await provider();
    const registry = new FakeRegistry();
    registry.status = 'disconnected';
    const { ref } = reference(registry);
    await ref.init();
    const call = echo(ref, 'late list', 5000);
    registry.publish([p.address]);
    await expect(call).resolves.toBe('late list');
  });

  it('a failed subscription fails the waiting calls with its cause, and the next call subscribes again', async () => {
    const registry = new FakeRegistry();
    registry.status = 'connecting';
    const { ref } = reference(registry);
    await ref.init();
    const call = echo(ref, 'x', 5000).catch((e: unknown) => e);
    const cause = new Error('ZooKeeper unreachable');
    registry.fail(cause);
    const error = (await call) as NoProviderError;
    expect(error).toBeInstanceOf(NoProviderError);
    expect(error.cause).toBe(cause);
    const p = await provider();
    const again = echo(ref, 'y', 5000);
    expect(registry.subscribeCalls).toBe(2);
    registry.publish([p.address]);
    await expect(again).resolves.toBe('y');
  });
});

describe('NoProviderError when nothing matches', () => {
  it('says what is registered instead, asking the registry once however many calls fail', async () => {
    const registry = new FakeRegistry([]);
    registry.absence = 'registered: 1.0.0 (group a), 2.0.0';
    const { ref } = reference(registry);
    await ref.init();
    for (let i = 0; i < 100; i++) {
      const error = (await echo(ref, 'x').catch((e: unknown) => e)) as NoProviderError;
      expect(error.message).toBe(
        'No provider available for org.acme.S:1.0.0: none registered that matches (check the version and group); registered: 1.0.0 (group a), 2.0.0',
      );
      expect(error.context['registered']).toBe('registered: 1.0.0 (group a), 2.0.0');
    }
    expect(registry.absenceCalls).toBe(1);
  });
});
