import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  DEFAULT_MAX_REFERENCES,
  DubboGenericModule,
  type DubboGenericModuleOptions,
  GenericClient,
  NoProviderError,
  RegistryConnectionError,
} from 'nestjs-dubbo-generic';
import { Hessian2Decoder } from '../../lib/protocol/hessian/hessian2-decoder.js';
import { DubboProvider } from '../../tools/dubbo-env/dubbo-provider.js';
import { fixtureEnv } from '../../tools/dubbo-env/fixture-env.js';
import { freePort } from '../../tools/dubbo-env/ports.js';
import { RecordingProxy } from '../helpers/recording-proxy.js';
import { waitUntil } from '../helpers/wait.js';
import { ZooKeeperServer } from '../../tools/dubbo-env/zookeeper-server.js';

const env = fixtureEnv();
const ECHO = 'org.apache.dubbo.test.EchoService';
const apps: INestApplication[] = [];

async function startApp(
  options: Partial<DubboGenericModuleOptions> & Pick<DubboGenericModuleOptions, 'registry'>,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [DubboGenericModule.forRoot({ application: 'feature-app', logger: false, ...options })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  apps.push(app);
  await app.init();
  return app;
}

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

/** The attachments of a captured generic request, read the way the provider reads them. */
function requestAttachments(body: Buffer): Record<string, unknown> {
  const d = new Hessian2Decoder(body);
  for (let i = 0; i < 8; i++) {
    d.read();
  }
  return d.read() as Record<string, unknown>;
}

describe('attachments and cancellation, seen on the wire', () => {
  let proxy: RecordingProxy;
  let client: GenericClient;

  beforeAll(async () => {
    proxy = await RecordingProxy.start(env.provider3);
    client = (await startApp({ registry: { direct: [`dubbo://${proxy.address}`] } })).get(GenericClient);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('sends user attachments with the computed ones (path, interface, version, generic, remote.application)', async () => {
    proxy.clear();
    await expect(
      client.invoke({
        service: ECHO,
        version: '1.0.0',
        method: 'echo',
        parameterTypes: ['java.lang.String'],
        args: ['x'],
        attachments: { traceId: 'trace-42' },
      }),
    ).resolves.toBe('x');
    const request = await proxy.waitFor((f) => f.direction === 'request');
    expect(requestAttachments(request.frame.body)).toMatchObject({
      traceId: 'trace-42',
      path: ECHO,
      interface: ECHO,
      version: '1.0.0',
      generic: 'true',
      'remote.application': 'feature-app',
    });
  });

  it('AbortSignal rejects the wait at once, drops the late reply and keeps the connection usable', async () => {
    proxy.clear();
    const controller = new AbortController();
    const call = client.invoke({
      service: ECHO,
      version: '1.0.0',
      method: 'sleep',
      parameterTypes: ['long'],
      args: [1500],
      timeoutMs: 10000,
      signal: controller.signal,
    });
    await proxy.waitFor((f) => f.direction === 'request');
    const aborted = Date.now();
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - aborted).toBeLessThan(500);
    // The provider's late answer arrives and is dropped; the connection keeps working.
    await proxy.waitFor((f) => f.direction === 'response');
    await expect(
      client.invoke({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['after'] }),
    ).resolves.toBe('after');
  });
});

describe('provider token', () => {
  let zk: ZooKeeperServer;
  let provider: DubboProvider;
  beforeAll(async () => {
    zk = await ZooKeeperServer.start();
    provider = await DubboProvider.start({ zk: zk.connectString, services: ['echo'], token: 'secret-token' });
  });
  afterAll(async () => {
    await provider?.kill();
    await zk?.close();
  });

  it('sends the token the provider registered, so a token-protected service answers', async () => {
    const client = (await startApp({ registry: { address: zk.connectString } })).get(GenericClient);
    await expect(
      client.invoke({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['guarded'] }),
    ).resolves.toBe('guarded');
  });
});

describe('referenceIdleMs', () => {
  it('releases an unused reference (subscription and connection) and recreates it on the next call', async () => {
    const app = await startApp({ registry: { address: env.zk }, referenceIdleMs: 1000 });
    const client = app.get(GenericClient);
    const echo = () =>
      client.invoke({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['idle'] });
    await expect(echo()).resolves.toBe('idle');
    expect(client.diagnostics().references).toEqual({ cached: 1, created: 1, max: DEFAULT_MAX_REFERENCES });
    expect(client.diagnostics().registry.listeners).toBe(1);
    await waitUntil('idle release', () => client.diagnostics().references.cached === 0, 10000, 50);
    expect(client.diagnostics().registry.listeners).toBe(0);
    expect(client.diagnostics().connections).toEqual({ addresses: 0, total: 0, leases: 0 });
    await expect(echo()).resolves.toBe('idle');
    expect(client.diagnostics().references.created).toBe(2);
    // The interface stays subscribed-to for the life of the client: it counts once.
    expect(client.diagnostics().services.subscribed).toBe(1);
  });
});

describe('registry unreachable at start-up', () => {
  it("fails start-up with RegistryConnectionError when onRegistryUnavailable is 'fail'", async () => {
    const port = await freePort();
    await expect(startApp({ registry: { address: `127.0.0.1:${port}`, connectTimeoutMs: 500 } })).rejects.toBeInstanceOf(
      RegistryConnectionError,
    );
  });

  it("starts anyway with 'background': status reconnecting, calls answer NoProviderError within their own deadline, close is clean", async () => {
    const port = await freePort();
    const app = await startApp({
      // Default registry timeouts: the first listing would be given up only after 30 s.
      registry: { address: `127.0.0.1:${port}`, connectTimeoutMs: 500 },
      onRegistryUnavailable: 'background',
    });
    const client = app.get(GenericClient);
    expect(client.status).toBe('reconnecting');
    for (const timeoutMs of [500, 800]) {
      const started = Date.now();
      const error = await client
        .invoke({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['x'], timeoutMs })
        .catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(NoProviderError);
      expect((error as Error).message).toMatch(/no provider list from the registry \((connecting|disconnected)\) within \d+ ms$/);
      expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 5);
      expect(elapsed).toBeLessThan(timeoutMs + 400);
    }
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    expect(client.status).toBe('closed');
  });
});
