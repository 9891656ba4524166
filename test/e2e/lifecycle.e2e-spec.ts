import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ClientClosedError, DubboGenericModule, GenericClient, NoProviderError } from 'nestjs-dubbo-generic';
import { fixtureEnv } from '../../tools/dubbo-env/fixture-env.js';
import { waitUntil } from '../helpers/wait.js';
import { ZkInspector } from '../helpers/zk-inspect.js';

const env = fixtureEnv();
const ECHO = 'org.apache.dubbo.test.EchoService';
let zk: ZkInspector;

beforeAll(async () => {
  zk = await ZkInspector.connect(env.zk);
});
afterAll(() => zk.close());

/** Sockets and timers this process holds (the inspector's own socket and Jest's timers are in the baseline). */
function handles(): { sockets: number; timers: number } {
  const info = process.getActiveResourcesInfo();
  return {
    sockets: info.filter((r) => r === 'TCPSocketWrap' || r === 'TCPWrap').length,
    timers: info.filter((r) => r === 'Timeout').length,
  };
}

async function startApp(application: string, extra: Record<string, unknown> = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      DubboGenericModule.forRoot({
        application,
        registry: { address: env.zk, sessionTimeoutMs: 10000 },
        references: [{ service: ECHO, version: '1.0.0', check: true }],
        shutdownTimeoutMs: 10000,
        logger: false,
        ...extra,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('DubboGenericModule against real ZooKeeper and a Dubbo 3.3 provider', () => {
  it('calls EchoService through both call forms', async () => {
    const app = await startApp('e2e-calls');
    try {
      const client = app.get(GenericClient);
      await expect(
        client.invoke({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['hello'] }),
      ).resolves.toBe('hello');
      const echo = client.service(ECHO, { version: '1.0.0' });
      await expect(echo.$invoke('echo', ['java.lang.String'], ['again'])).resolves.toBe('again');
      expect(client.snapshot().references.map((r) => r.key)).toEqual([`${ECHO}:1.0.0`]);
    } finally {
      await app.close();
    }
  });

  it('fails start-up with NoProviderError naming the service when a checked reference has no provider', async () => {
    await expect(
      startApp('e2e-check', { references: [{ service: 'org.apache.dubbo.test.Missing', version: '9.9.9', check: true }] }),
    ).rejects.toThrow(NoProviderError);
  });

  it('app.close() under load finishes in-flight calls, rejects new ones, removes its consumer node and leaves no socket or timer', async () => {
    const baseline = handles();
    const app = await startApp('e2e-shutdown');
    const client = app.get(GenericClient);
    const consumerNode = await zk.waitForUrl(
      ECHO,
      'consumers',
      (u) => u.params['application'] === 'e2e-shutdown' && u.params['pid'] === String(process.pid),
    );
    expect(consumerNode.params['side']).toBe('consumer');
    expect(consumerNode.protocol).toBe('consumer');

    const inFlight = Array.from({ length: 20 }, () =>
      client.invoke({ service: ECHO, version: '1.0.0', method: 'sleep', parameterTypes: ['long'], args: [400], timeoutMs: 5000 }),
    );
    // Let the calls reach the provider, then close while they are in flight.
    await new Promise((r) => setImmediate(r));
    expect(client.snapshot().inFlight).toBe(20);
    const closing = app.close();
    await waitUntil('draining', () => client.status === 'draining');
    await expect(
      client.invoke({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['late'] }),
    ).rejects.toBeInstanceOf(ClientClosedError);
    await expect(Promise.all(inFlight)).resolves.toEqual(Array(20).fill(400));
    await closing;
    expect(client.status).toBe('closed');

    const left = (await zk.urls(ECHO, 'consumers')).filter((u) => u.params['application'] === 'e2e-shutdown');
    expect(left).toEqual([]);
    const after = handles();
    expect(after.sockets).toBe(baseline.sockets);
    expect(after.timers).toBeLessThanOrEqual(baseline.timers);
  });
});
