import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { RegistryError } from '../../lib/errors/index.js';
import { type ProviderUrl } from '../../lib/registry/provider-url.js';
import { ZookeeperRegistry } from '../../lib/registry/zookeeper/zookeeper-registry.js';
import { DubboProvider } from '../../tools/dubbo-env/dubbo-provider.js';
import { ZkInspector } from '../helpers/zk-inspect.js';
import { ZooKeeperServer } from '../../tools/dubbo-env/zookeeper-server.js';

// JVMs on 2 shared cores: generous per-test deadlines (the waits inside are bounded themselves).
jest.setTimeout(180000);

// A Dubbo 3.3 provider with a registry username creates its nodes with CREATOR_ALL_ACL (digest).
const ECHO = 'org.apache.dubbo.test.EchoService';
const AUTH = 'alice:s3cret';

let zk: ZooKeeperServer;
let provider: DubboProvider;
let inspector: ZkInspector;
const registries: ZookeeperRegistry[] = [];

function registry(auth?: string): ZookeeperRegistry {
  const r = new ZookeeperRegistry({ address: zk.connectString, auth, requestTimeoutMs: 5000, application: 'acl-it' });
  registries.push(r);
  return r;
}

beforeAll(async () => {
  zk = await ZooKeeperServer.start();
  provider = await DubboProvider.start({ zk: zk.connectString, services: ['echo'], zkAuth: AUTH });
  inspector = await ZkInspector.connect(zk.connectString, AUTH);
  await inspector.waitForUrl(ECHO, 'providers', (u) => u.port === provider.port);
}, 180000);

afterAll(async () => {
  await Promise.all(registries.map((r) => r.close()));
  inspector?.close();
  await provider?.kill();
  await zk?.close();
});

describe('digest ACLs written by a Dubbo 3.3 provider', () => {
  it('lists the provider when configured with the same credentials, and registers the consumer under the ACL', async () => {
    const r = registry(AUTH);
    await r.connect();
    let got: readonly ProviderUrl[] = [];
    await r.subscribe({ interface: ECHO, version: '1.0.0' }, (list) => (got = list));
    expect(got.map((p) => p.port)).toEqual([provider.port]);
    await r.register({ interface: ECHO, version: '1.0.0' });
    const mine = (await inspector.urls(ECHO, 'consumers')).filter((u) => u.params['pid'] === String(process.pid));
    expect(mine).toHaveLength(1);
  });

  it.each([
    ['no credentials', undefined],
    ['wrong credentials', 'alice:wrong'],
  ])('fails subscribe with a clear RegistryError, not an empty list, with %s', async (_what, auth) => {
    const r = registry(auth);
    await r.connect();
    const lists: Array<readonly ProviderUrl[]> = [];
    const error = await r
      .subscribe({ interface: ECHO, version: '1.0.0' }, (list) => lists.push(list))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/NO_AUTH/);
    expect((error as Error).message).toMatch(/registry\.auth/);
    expect(lists).toEqual([]);
  });
});
