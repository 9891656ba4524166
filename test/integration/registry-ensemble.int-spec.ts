import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type ProviderUrl } from '../../lib/registry/provider-url.js';
import { ZookeeperRegistry } from '../../lib/registry/zookeeper/zookeeper-registry.js';
import { DubboConnection } from '../../lib/transport/dubbo-connection.js';
import { DubboProvider } from '../../tools/dubbo-env/dubbo-provider.js';
import { waitUntil } from '../helpers/wait.js';
import { ZooKeeperEnsemble } from '../../tools/dubbo-env/zookeeper-server.js';

// JVMs on 2 shared cores: generous per-test deadlines (the waits inside are bounded themselves).
jest.setTimeout(180000);

// Three ZooKeeper JVMs on loopback behind one connect string; the leader is killed while calls run.
const ECHO = 'org.apache.dubbo.test.EchoService';

let ensemble: ZooKeeperEnsemble;
let provider: DubboProvider;
let registry: ZookeeperRegistry;
let current: readonly ProviderUrl[] = [];
const connections = new Map<string, DubboConnection>();

beforeAll(async () => {
  ensemble = await ZooKeeperEnsemble.start(3);
  provider = await DubboProvider.start({ zk: ensemble.connectString, services: ['echo'] });
  registry = new ZookeeperRegistry({
    address: ensemble.connectString,
    sessionTimeoutMs: 20000,
    requestTimeoutMs: 5000,
    application: 'ensemble-it',
  });
  await registry.connect();
  await registry.subscribe({ interface: ECHO, version: '1.0.0' }, (list) => (current = list));
  await registry.register({ interface: ECHO, version: '1.0.0' });
  await waitUntil('provider listed', () => current.length === 1, 30000, 20);
}, 240000);

afterAll(async () => {
  await Promise.all([...connections.values()].map((c) => c.close()));
  await registry?.close();
  await provider?.kill();
  await ensemble?.close();
});

function connectionFor(p: ProviderUrl): DubboConnection {
  let c = connections.get(p.address);
  if (!c) {
    c = new DubboConnection({ host: p.host, port: p.port });
    connections.set(p.address, c);
  }
  return c;
}

describe('ZooKeeper ensemble', () => {
  it('moves the session to another server when the leader is killed, losing no subscription and failing no call', async () => {
    const session = registry.stats().sessionId;
    let calls = 0;
    const failures: string[] = [];
    let emptyLists = 0;
    let running = true;
    const load = (async () => {
      while (running) {
        // Calls read the in-memory provider list only (no ZooKeeper request on the call path).
        const p = current[0];
        if (!p) {
          emptyLists++;
          await new Promise((r) => setImmediate(r));
          continue;
        }
        try {
          const c = connectionFor(p);
          if (c.status === 'idle') {
            await c.connect();
          }
          const out = await c.request(
            { path: p.path, version: p.version, method: 'echo', parameterTypes: ['java.lang.String'], args: [`n${calls}`] },
            { timeoutMs: 5000 },
          );
          if (out !== `n${calls}`) {
            failures.push(`unexpected answer ${String(out)}`);
          }
          calls++;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    })();
    await waitUntil('load running', () => calls >= 50, 30000, 10);
    const leader = await ensemble.leader();
    const t0 = Date.now();
    await leader.kill();
    const statuses: string[] = [];
    const off = registry.onStatus((s) => statuses.push(s));
    await waitUntil(
      'connected through another server',
      () => registry.status === 'connected' && (statuses.length === 0 || statuses.at(-1) === 'connected'),
      60000,
      20,
    );
    const survivors = ensemble.servers.filter((s) => s !== leader);
    await Promise.all(survivors.map((s) => s.waitServing(60000)));
    console.log(
      `[ensemble-it] leader killed; registry ${statuses.join(' → ') || 'never disconnected'} in ${Date.now() - t0} ms; ${calls} calls so far`,
    );
    const before = calls;
    await waitUntil('calls continue', () => calls >= before + 50, 30000, 10);
    running = false;
    await load;
    off();
    expect(failures).toEqual([]);
    expect(emptyLists).toBe(0);
    const stats = registry.stats();
    expect(stats.sessionId).toBe(session);
    expect(stats.sessionsSeen).toBe(1);
    expect(stats.clientsCreated).toBe(1);
    expect(stats.maxWatcherFunctionsPerPath).toBe(1);
    expect(stats.pathsWatched).toBe(2);
    expect(stats.consumerNodes).toBe(1);
    // the subscription still delivers: a second provider appears and then leaves
    const second = await DubboProvider.start({ zk: survivors.map((s) => s.connectString).join(','), services: ['echo'] });
    try {
      await waitUntil('second provider listed', () => current.some((p) => p.port === second.port), 30000, 10);
    } finally {
      await second.stop();
    }
    await waitUntil('second provider gone', () => !current.some((p) => p.port === second.port), 30000, 10);
  });
});
