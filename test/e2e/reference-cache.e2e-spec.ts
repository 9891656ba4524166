import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DubboGenericModule, GenericClient, NoProviderError } from 'nestjs-dubbo-generic';
import { DubboProvider } from '../../tools/dubbo-env/dubbo-provider.js';
import { waitUntil } from '../helpers/wait.js';
import { ZooKeeperServer } from '../../tools/dubbo-env/zookeeper-server.js';

const ECHO = 'org.apache.dubbo.test.EchoService';
let zk: ZooKeeperServer;
let provider: DubboProvider | undefined;
let app: INestApplication;

beforeAll(async () => {
  zk = await ZooKeeperServer.start();
  const moduleRef = await Test.createTestingModule({
    imports: [DubboGenericModule.forRoot({ application: 'cache-app', registry: { address: zk.connectString }, logger: false })],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
});

afterAll(async () => {
  await app?.close();
  await provider?.kill();
  await zk?.close();
});

describe('reference cache against real ZooKeeper', () => {
  it('answers NoProviderError from one subscription without asking ZooKeeper again, and works as soon as a provider appears', async () => {
    const client = app.get(GenericClient);
    const echo = (text: string) =>
      client.invoke({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: [text] });

    // 100 concurrent first calls share one reference creation.
    const first = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => echo(`cold-${i}`)));
    expect(first.every((r) => r.status === 'rejected' && r.reason instanceof NoProviderError)).toBe(true);
    expect(client.diagnostics().references.created).toBe(1);

    const { getChildrenCalls: getChildren, absenceReads } = client.diagnostics().registry;
    for (let i = 0; i < 1000; i++) {
      await expect(echo('none')).rejects.toBeInstanceOf(NoProviderError);
    }
    // Failed calls never go back to ZooKeeper, not even to explain themselves.
    expect(client.diagnostics().registry.getChildrenCalls).toBe(getChildren);
    expect(client.diagnostics().registry.absenceReads).toBe(absenceReads);
    const before = client.diagnostics().registry;
    expect(before.services).toBe(1);
    expect(before.maxWatcherFunctionsPerPath).toBe(1);

    provider = await DubboProvider.start({ zk: zk.connectString, services: ['echo'] });
    await waitUntil('the new provider to answer', async () => (await echo('hello').catch(() => undefined)) === 'hello', 20000, 20);

    const after = client.diagnostics().registry;
    expect(client.diagnostics().references.created).toBe(1);
    expect(after.services).toBe(1);
    expect(after.clientsCreated).toBe(1);
    expect(after.maxWatcherFunctionsPerPath).toBe(1);
  });
});
