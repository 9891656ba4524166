import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConnectionClosedError } from '../../lib/errors/connection-closed.error.js';
import { MethodNotFoundError } from '../../lib/errors/method-not-found.error.js';
import { RemoteError } from '../../lib/errors/remote.error.js';
import { RemoteServiceError } from '../../lib/errors/remote-service.error.js';
import { RpcTimeoutError } from '../../lib/errors/rpc-timeout.error.js';
import { ServiceNotFoundError } from '../../lib/errors/service-not-found.error.js';
import { type RpcInvocation } from '../../lib/protocol/invocation.js';
import { DubboConnection } from '../../lib/transport/dubbo-connection.js';
import { invoke } from '../../lib/transport/invoke.js';
import { DubboProvider, type ProviderFlavor } from '../../tools/dubbo-env/dubbo-provider.js';
import { fixtureEnv } from '../../tools/dubbo-env/fixture-env.js';
import { CALL_CASES, ECHO, TYPES } from '../helpers/vectors.js';

// Our client against the real Apache Dubbo providers: 3.3.6 and 2.7.23 (shared), 3.2.19 (started here).
const env = fixtureEnv();
const FLAVORS: ProviderFlavor[] = ['dubbo3', 'dubbo32', 'dubbo27'];
const addresses: Record<ProviderFlavor, string> = { dubbo3: env.provider3, dubbo32: '', dubbo27: env.provider27 };
let provider32: DubboProvider;

beforeAll(async () => {
  // Dubbo's fixed pool rejects past its threads (no queue): room for the 500-call pipelining test.
  provider32 = await DubboProvider.start({ zk: env.zk, flavor: 'dubbo32', threads: 512 });
  addresses.dubbo32 = provider32.address;
});
afterAll(() => provider32?.kill());

const echo = (text: string): RpcInvocation => ({
  path: ECHO,
  version: '1.0.0',
  method: 'echo',
  parameterTypes: ['java.lang.String'],
  args: [text],
});
const sleepCall = (ms: number): RpcInvocation => ({ path: ECHO, version: '1.0.0', method: 'sleep', parameterTypes: ['long'], args: [ms] });

describe.each(FLAVORS)('against the %s provider', (flavor) => {
  let connection: DubboConnection;
  let address: string;
  beforeAll(async () => {
    address = addresses[flavor];
    const [host, port] = address.split(':');
    connection = new DubboConnection({ host: host!, port: Number(port) });
    await connection.connect();
  });
  afterAll(async () => {
    await connection.close();
  });

  it.each(CALL_CASES.map((c) => [c.name, c] as const))('round-trips %s exactly', async (_name, c) => {
    const call: RpcInvocation = {
      path: c.interface,
      version: c.version ?? '1.0.0',
      method: c.method,
      parameterTypes: c.types,
      args: c.nodeArgs,
    };
    const target = connection;
    if (c.error?.errorName === 'MethodNotFoundError') {
      const error = await target.request(call, { timeoutMs: 10000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MethodNotFoundError);
      expect((error as MethodNotFoundError).status).toBe(c.error.status);
      expect((error as Error).message).toMatch(c.error.message!);
    } else if (c.error) {
      const error = await target.request(call, { timeoutMs: 10000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteServiceError);
      const remote = error as RemoteServiceError;
      if (c.error.javaClass instanceof RegExp) {
        expect(remote.javaClass).toMatch(c.error.javaClass);
      } else {
        expect(remote.javaClass).toBe(c.error.javaClass);
      }
      expect(remote.status).toBe(c.error.status);
      if (c.error.message instanceof RegExp) {
        expect(remote.message).toMatch(c.error.message);
      } else if (c.error.message !== undefined) {
        expect(remote.remoteMessage).toBe(c.error.message);
      }
    } else {
      await expect(connection.request(call, { timeoutMs: 10000 })).resolves.toEqual(c.expected);
    }
  });

  it('sends byte[] as Hessian binary and gets it back', async () => {
    const data = Buffer.from([0, 1, 2, 250, 255, ...Buffer.alloc(5000, 7)]);
    const back = await connection.request({ path: ECHO, version: '1.0.0', method: 'echoBytes', parameterTypes: ['[B'], args: [data] });
    expect(Buffer.isBuffer(back) && back.equals(data)).toBe(true);
  });

  it('rejects an unknown version with a remote error (2.7: ServiceNotFoundError; 3.x: status 40, its decoder refuses the unknown service)', async () => {
    const error = await connection.request({ ...echo('x'), version: '9.9.9' }).catch((e: unknown) => e);
    if (flavor === 'dubbo27') {
      expect(error).toBeInstanceOf(ServiceNotFoundError);
      expect((error as RemoteError).status).toBe(70);
    } else {
      expect(error).toBeInstanceOf(RemoteError);
      expect((error as RemoteError).status).toBe(40);
    }
  });

  it("rejects an unknown group with ServiceNotFoundError whose message is the provider's whole text (3.2: fastjson2 body)", async () => {
    const error = await connection
      .request({
        path: 'org.apache.dubbo.test.GreetingService',
        version: '1.0.0',
        group: 'no-such-group',
        method: 'greet',
        parameterTypes: ['java.lang.String'],
        args: ['x'],
      })
      .catch((e: unknown) => e);
    if (flavor === 'dubbo27') {
      // The shared 2.7 provider does not export GreetingService at all.
      expect(error).toBeInstanceOf(RemoteError);
      return;
    }
    expect(error).toBeInstanceOf(ServiceNotFoundError);
    expect((error as RemoteError).status).toBe(70);
    expect((error as Error).message).toMatch(
      /Not found exported service: no-such-group\/org\.apache\.dubbo\.test\.GreetingService:1\.0\.0:\d+ in \[/,
    );
    expect((error as Error).message).not.toContain('serialized with id');
  });

  it('times a slow call out at 300 ms, drops its late reply, and keeps the connection', async () => {
    const started = Date.now();
    const error = await connection.request(sleepCall(2000), { timeoutMs: 300 }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(800);
    // The late reply arrives ~1.7 s later: wait for it by making calls until then, all must succeed.
    const until = started + 2300;
    while (Date.now() < until) {
      await expect(connection.request(echo('still fine'))).resolves.toBe('still fine');
    }
    expect(connection.status).toBe('ready');
    expect(connection.inFlight).toBe(0);
  });

  it('answers our heartbeat (the connection stays up with a short interval)', async () => {
    const [host, port] = addresses[flavor].split(':');
    const c = new DubboConnection({ host: host!, port: Number(port), heartbeatIntervalMs: 100 });
    try {
      await c.connect();
      const statuses: string[] = [];
      c.on('status', (s: string) => statuses.push(s));
      // Five answered heartbeats in a row; unanswered, the connection would drop after three.
      await new Promise<void>((resolve) => {
        let answered = 0;
        c.on('heartbeat', () => {
          if (++answered === 5) {
            resolve();
          }
        });
      });
      expect(statuses).toEqual([]);
      await expect(c.request(echo('after heartbeats'))).resolves.toBe('after heartbeats');
    } finally {
      await c.close();
    }
  });

  it('pipelines 500 concurrent calls on one connection', async () => {
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => connection.request(echo(`n${i}`))));
    expect(results).toEqual(Array.from({ length: 500 }, (_, i) => `n${i}`));
  });

  it(`invoke() makes a one-off call (${flavor})`, async () => {
    await expect(
      invoke(addresses[flavor], { path: TYPES, version: '1.0.0', method: 'echoInt', parameterTypes: ['int'], args: [7] }),
    ).resolves.toBe(7);
  });
});

describe.each(FLAVORS)('a %s provider killed with SIGKILL mid-call', (flavor) => {
  let provider: DubboProvider;
  beforeAll(async () => {
    provider = await DubboProvider.start({ zk: env.zk, flavor, services: ['echo'] });
  });
  afterAll(() => provider.kill());

  it('rejects every in-flight call at once with ConnectionClosedError', async () => {
    const c = new DubboConnection({ host: '127.0.0.1', port: provider.port, reconnect: false });
    try {
      await expect(c.request(echo('warm'))).resolves.toBe('warm');
      const calls = [1, 2, 3].map(() => c.request(sleepCall(20000), { timeoutMs: 30000 }).catch((e: unknown) => e));
      // Let the calls reach the provider before killing it.
      await expect(c.request(echo('sent'))).resolves.toBe('sent');
      const killedAt = Date.now();
      await provider.kill();
      const errors = await Promise.all(calls);
      expect(Date.now() - killedAt).toBeLessThan(1000);
      for (const e of errors) {
        expect(e).toBeInstanceOf(ConnectionClosedError);
      }
    } finally {
      await c.close();
    }
  });
});
