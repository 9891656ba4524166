import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DubboGenericModule, type DubboLogger, GenericClient, NoProviderError } from 'nestjs-dubbo-generic';
import { DubboProvider } from '../../tools/dubbo-env/dubbo-provider.js';
import { ZkInspector } from '../helpers/zk-inspect.js';
import { waitUntil } from '../helpers/wait.js';
import { ZooKeeperServer } from '../../tools/dubbo-env/zookeeper-server.js';

// What a NoProviderError says about a service registered under other versions or groups, or at
// application level only; read on the cold path, never again for warm failing calls.
const GREETING = 'org.apache.dubbo.test.GreetingService';
const ECHO = 'org.apache.dubbo.test.EchoService';
let zk: ZooKeeperServer;
const providers: DubboProvider[] = [];
const apps: INestApplication[] = [];
const warnings: string[] = [];
const logger: DubboLogger = { log: () => undefined, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };

beforeAll(async () => {
  zk = await ZooKeeperServer.start();
  providers.push(
    ...(await Promise.all([
      DubboProvider.start({ zk: zk.connectString, services: ['greeting'] }),
      // Application-level registration only: /services/<app>/… and /dubbo/mapping/<interface>, no interface-level node.
      DubboProvider.start({ zk: zk.connectString, services: ['echo'], registerMode: 'instance', app: 'instance-only-app' }),
    ])),
  );
  const inspector = await ZkInspector.connect(zk.connectString);
  try {
    await waitUntil('the mapping node', async () => (await inspector.children('/dubbo/mapping')).includes(ECHO), 20000, 50);
  } finally {
    inspector.close();
  }
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await Promise.all(providers.map((p) => p.kill()));
  await zk?.close();
});

async function startApp(extra: Record<string, unknown> = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [DubboGenericModule.forRoot({ application: 'no-provider-app', registry: { address: zk.connectString }, logger, ...extra })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  apps.push(app);
  return app;
}

const greet = (client: GenericClient, version: string, group?: string) =>
  client.invoke({ service: GREETING, version, group, method: 'greet', parameterTypes: ['java.lang.String'], args: ['x'] });
const echo = (client: GenericClient) =>
  client.invoke({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['x'] });

describe('NoProviderError explains what is registered', () => {
  it('lists the versions and groups registered instead, and reads /dubbo/mapping for an application-level-only service; warm failures read nothing', async () => {
    const app = await startApp();
    const client = app.get(GenericClient);
    await expect(greet(client, '1.0.0')).resolves.toBe('v1:hello x');

    const wrongVersion = (await greet(client, '3.0.0').catch((e: unknown) => e)) as NoProviderError;
    expect(wrongVersion).toBeInstanceOf(NoProviderError);
    expect(wrongVersion.message).toBe(
      `No provider available for ${GREETING}:3.0.0: none registered that matches (check the version and group); registered: 1.0.0, 1.0.0 (group a), 1.0.0 (group b), 2.0.0`,
    );
    const wrongGroup = (await greet(client, '2.0.0', 'a').catch((e: unknown) => e)) as NoProviderError;
    expect(wrongGroup.message).toMatch(/; registered: 1\.0\.0, 1\.0\.0 \(group a\), 1\.0\.0 \(group b\), 2\.0\.0$/);
    // Both answered from the listing already in memory.
    expect(client.diagnostics().registry.absenceReads).toBe(0);

    const appLevel = (await echo(client).catch((e: unknown) => e)) as NoProviderError;
    expect(appLevel).toBeInstanceOf(NoProviderError);
    expect(appLevel.message).toBe(
      `No provider available for ${ECHO}:1.0.0: none registered that matches (check the version and group); registered at application level only (/dubbo/mapping/${ECHO}: instance-only-app); this client discovers interface-level providers under /dubbo/${ECHO}/providers`,
    );
    expect(client.diagnostics().registry.absenceReads).toBe(1);

    const before = client.diagnostics().registry;
    for (let i = 0; i < 1000; i++) {
      await expect(echo(client)).rejects.toBeInstanceOf(NoProviderError);
      await expect(greet(client, '3.0.0')).rejects.toBeInstanceOf(NoProviderError);
    }
    const after = client.diagnostics().registry;
    expect(after.absenceReads).toBe(1);
    expect(after.getChildrenCalls).toBe(before.getChildrenCalls);
    expect(after.existsCalls).toBe(before.existsCalls);
    expect(after.maxWatcherFunctionsPerPath).toBe(1);
  });

  it('a checked reference without provider fails start-up without a stray warning about its consumer node', async () => {
    warnings.length = 0;
    const err = await startApp({ references: [{ service: GREETING, version: '3.0.0', check: true }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoProviderError);
    // The start-up check says what is registered instead, as a failing call does.
    expect((err as NoProviderError).message).toMatch(/registered: 1\.0\.0, 1\.0\.0 \(group a\), 1\.0\.0 \(group b\), 2\.0\.0/);
    expect(warnings).toEqual([]);
  });
});
