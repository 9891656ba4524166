import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type ProviderUrl } from '../../lib/registry/provider-url.js';
import { ZookeeperRegistry } from '../../lib/registry/zookeeper/zookeeper-registry.js';
import { DubboProvider } from '../../tools/dubbo-env/dubbo-provider.js';
import { waitUntil } from '../helpers/wait.js';
import { ZkInspector } from '../helpers/zk-inspect.js';
import { ZooKeeperServer } from '../../tools/dubbo-env/zookeeper-server.js';

// JVMs on 2 shared cores: generous per-test deadlines (the waits inside are bounded themselves).
jest.setTimeout(180000);

// What real Dubbo 3.3 and 2.7 providers register, as our registry reads it; and our consumer node as
// Java tools read it. A chroot in the connect string and a non-default root path are honoured.
const ECHO = 'org.apache.dubbo.test.EchoService';
const GREETING = 'org.apache.dubbo.test.GreetingService';

let zk: ZooKeeperServer;
let p3: DubboProvider;
let p27: DubboProvider;
let inspector: ZkInspector;
const registries: ZookeeperRegistry[] = [];

beforeAll(async () => {
  zk = await ZooKeeperServer.start();
  [p3, p27] = await Promise.all([
    DubboProvider.start({ zk: zk.connectString, flavor: 'dubbo3', services: ['echo', 'greeting'] }),
    DubboProvider.start({ zk: zk.connectString, flavor: 'dubbo27', services: ['echo'] }),
  ]);
  inspector = await ZkInspector.connect(zk.connectString);
  await inspector.waitForUrl(GREETING, 'providers', (u) => u.port === p3.port && u.params['group'] === 'b');
  await inspector.waitForUrl(ECHO, 'providers', (u) => u.port === p27.port);
}, 240000);

afterAll(async () => {
  await Promise.all(registries.map((r) => r.close()));
  inspector?.close();
  await Promise.all([p3?.kill(), p27?.kill()]);
  await zk?.close();
});

function registry(extra: Partial<ConstructorParameters<typeof ZookeeperRegistry>[0]> = {}): ZookeeperRegistry {
  const r = new ZookeeperRegistry({ address: zk.connectString, application: 'registry-read-it', ...extra });
  registries.push(r);
  return r;
}

async function listOf(r: ZookeeperRegistry, key: { interface: string; version?: string; group?: string }): Promise<readonly ProviderUrl[]> {
  let got: readonly ProviderUrl[] = [];
  await r.subscribe(key, (list) => (got = list));
  return got;
}

describe('reading real Dubbo registrations', () => {
  it('lists EchoService from a Dubbo 3.3 and a Dubbo 2.7 provider with their parameters', async () => {
    const r = registry();
    await r.connect();
    const list = await listOf(r, { interface: ECHO, version: '1.0.0' });
    expect(list.map((p) => p.port).sort()).toEqual([p3.port, p27.port].sort());
    const v3 = list.find((p) => p.port === p3.port);
    const v27 = list.find((p) => p.port === p27.port);
    expect(v3).toMatchObject({ host: '127.0.0.1', path: ECHO, interface: ECHO, version: '1.0.0', group: '', weight: 100 });
    expect(v3?.params['release']).toBe('3.3.6');
    expect(v27?.params['release']).toBe('2.7.23');
    expect(v3?.methods.length).toBeGreaterThan(0);
    expect(v3?.timestamp).toBeGreaterThan(0);
  });

  it.each([
    [{ version: '1.0.0' }, ['/1.0.0']],
    [{ version: '2.0.0' }, ['/2.0.0']],
    [{ version: '1.0.0', group: 'a' }, ['a/1.0.0']],
    [{ version: '1.0.0', group: 'a,b' }, ['a/1.0.0', 'b/1.0.0']],
    [{ version: '1.0.0', group: '*' }, ['/1.0.0', 'a/1.0.0', 'b/1.0.0']],
    [{ version: '*', group: '*' }, ['/1.0.0', '/2.0.0', 'a/1.0.0', 'b/1.0.0']],
    [{ version: '3.0.0' }, []],
  ])('matches GreetingService variants for %j as Dubbo does', async (key, expected) => {
    const r = registries[0] ?? registry();
    await r.connect();
    const list = await listOf(r, { interface: GREETING, ...key });
    expect(list.map((p) => `${p.group}/${p.version}`).sort()).toEqual(expected);
  });

  it('shares one subscription per interface between every variant', () => {
    const stats = registries[0]?.stats();
    expect(stats?.services).toBe(2);
    expect(stats?.getChildrenCalls).toBe(4);
    expect(stats?.maxWatcherFunctionsPerPath).toBe(1);
  });

  it('registers a consumer node that Java tools can read, and removes it on close', async () => {
    const r = registry();
    await r.connect();
    await r.register({ interface: GREETING, version: '2.0.0', group: 'g', params: { timeout: '1500' } });
    const mine = (await inspector.urls(GREETING, 'consumers')).filter(
      (u) => u.params['pid'] === String(process.pid) && u.params['application'] === 'registry-read-it',
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ protocol: 'consumer', host: '127.0.0.1', port: 0, path: GREETING });
    expect(mine[0]?.params).toMatchObject({
      category: 'consumers',
      side: 'consumer',
      check: 'false',
      dubbo: '2.0.2',
      generic: 'true',
      interface: GREETING,
      version: '2.0.0',
      group: 'g',
      timeout: '1500',
    });
    await r.close();
    await waitUntil(
      'consumer node removed',
      async () => !(await inspector.urls(GREETING, 'consumers')).some((u) => u.params['application'] === 'registry-read-it'),
      5000,
      20,
    );
  });

  it('honours a chroot in the connect string and a custom root path', async () => {
    // ZooKeeper does not create a chroot node: make it exist first, through the full path.
    const plain = registry({ rootPath: '/chrooted/custom' });
    await plain.connect();
    await plain.register({ interface: 'x.Y' });
    const r = registry({ address: `${zk.connectString}/chrooted`, rootPath: '/custom' });
    await r.connect();
    expect(await listOf(r, { interface: ECHO, version: '1.0.0' })).toEqual([]);
    await r.register({ interface: ECHO, version: '1.0.0' });
    const names = await inspector.children(`/chrooted/custom/${ECHO}/consumers`);
    expect(names).toHaveLength(1);
  });
});
