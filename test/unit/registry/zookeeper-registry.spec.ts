import { afterEach, describe, expect, it } from '@jest/globals';
import { RegistryConnectionError, RegistryError } from '../../../lib/errors/index.js';
import { type DubboLogger } from '../../../lib/logging/logger.js';
import { encodeNodeName, type ProviderUrl } from '../../../lib/registry/provider-url.js';
import { ZookeeperRegistry, type ZookeeperRegistryConfig } from '../../../lib/registry/zookeeper/zookeeper-registry.js';
import { FakeZooKeeper } from '../../helpers/fake-zookeeper.js';
import { waitUntil } from '../../helpers/wait.js';

const IFACE = 'org.apache.dubbo.test.EchoService';
const PROVIDERS = `/dubbo/${IFACE}/providers`;
const CONFIGURATORS = `/dubbo/${IFACE}/configurators`;
const CONSUMERS = `/dubbo/${IFACE}/consumers`;

function providerNode(port: number, params = 'version=1.0.0'): string {
  return encodeNodeName(`dubbo://127.0.0.1:${port}/${IFACE}?interface=${IFACE}&side=provider&${params}`);
}

function recordingLogger(): DubboLogger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return { warnings, errors, log: () => undefined, warn: (m) => warnings.push(m), error: (m) => errors.push(m), debug: () => undefined };
}

const open: ZookeeperRegistry[] = [];
function makeRegistry(zk: FakeZooKeeper, config: Partial<ZookeeperRegistryConfig> = {}): ZookeeperRegistry {
  const registry = new ZookeeperRegistry(
    {
      address: '127.0.0.1:2181',
      requestTimeoutMs: 200,
      connectTimeoutMs: 200,
      sessionTimeoutMs: 1000,
      retryDelayMs: 10,
      application: 'unit-app',
      ...config,
    },
    { clientFactory: zk.factory },
  );
  open.push(registry);
  return registry;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

function ports(list: readonly ProviderUrl[]): number[] {
  return list.map((p) => p.port).sort((a, b) => a - b);
}

async function connected(zk = new FakeZooKeeper(), config: Partial<ZookeeperRegistryConfig> = {}) {
  zk.mkdirp(PROVIDERS);
  zk.mkdirp(CONFIGURATORS);
  const registry = makeRegistry(zk, config);
  await registry.connect();
  return { zk, registry };
}

describe('ZookeeperRegistry with a fake ZooKeeper', () => {
  it('resolves subscribe after delivering the first list, filtered by version and group', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1, 'version=1.0.0'));
    zk.addChild(PROVIDERS, providerNode(2, 'version=2.0.0'));
    zk.addChild(PROVIDERS, providerNode(3, 'version=1.0.0&group=a'));
    const got: Record<string, number[]> = {};
    const keys = {
      v1: { version: '1.0.0' },
      v2: { version: '2.0.0' },
      a: { version: '1.0.0', group: 'a' },
      any: { version: '*', group: '*' },
    };
    for (const [name, key] of Object.entries(keys)) {
      await registry.subscribe({ interface: IFACE, ...key }, (list) => (got[name] = ports(list)));
      expect(got[name]).toBeDefined();
    }
    expect(got).toEqual({ v1: [1], v2: [2], a: [3], any: [1, 2, 3] });
    expect(registry.status).toBe('connected');
  });

  it('keeps exactly one watcher function and one watch request per path after 10 000 subscribe calls', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1));
    const unsubscribes: Array<() => void> = [];
    for (let i = 0; i < 10000; i++) {
      unsubscribes.push(await registry.subscribe({ interface: IFACE, version: i % 2 ? '1.0.0' : '*' }, () => undefined));
    }
    const stats = registry.stats();
    expect(stats.getChildrenCalls).toBe(2);
    expect(zk.callsOf('getChildren', PROVIDERS)).toHaveLength(1);
    expect(zk.current.watcherCount(PROVIDERS)).toBe(1);
    expect(zk.current.watcherCount(CONFIGURATORS)).toBe(1);
    expect(stats.maxWatcherFunctionsPerPath).toBe(1);
    expect(stats.clientWatcherFunctions).toBe(2);
    expect(stats.listeners).toBe(10000);
    expect(stats.services).toBe(1);
    unsubscribes.forEach((u) => u());
    expect(registry.stats().listeners).toBe(0);
  });

  it('makes services × 2 watch registrations for N interfaces × M calls × K variants, and 0 requests per warm call', async () => {
    const { zk, registry } = await connected();
    const N = 20;
    for (let n = 0; n < N; n++) {
      zk.mkdirp(`/dubbo/svc.S${n}/providers`);
    }
    for (let m = 0; m < 5; m++) {
      for (let n = 0; n < N; n++) {
        for (const version of ['1.0.0', '2.0.0', '*']) {
          await registry.subscribe({ interface: `svc.S${n}`, version }, () => undefined);
        }
      }
    }
    const warm = zk.calls.length;
    await registry.subscribe({ interface: 'svc.S3', version: '9' }, () => undefined);
    expect(zk.calls.length).toBe(warm);
    const stats = registry.stats();
    expect(stats.getChildrenCalls).toBe(N * 2);
    // configurators do not exist: one existence watch each, still one function per path
    expect(stats.existsCalls).toBe(N);
    expect(stats.clientWatcherFunctions).toBe(N * 2);
    expect(stats.maxWatcherFunctionsPerPath).toBe(1);
    expect(new Set(zk.calls.filter((c) => c.watcher).map((c) => c.watcher)).size).toBe(N * 2);
  });

  it('single-flights 100 concurrent cold subscribes into one read per path', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1));
    const lists: number[][] = [];
    await Promise.all(
      Array.from({ length: 100 }, () => registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => lists.push(ports(l)))),
    );
    expect(lists).toHaveLength(100);
    expect(zk.callsOf('getChildren', PROVIDERS)).toHaveLength(1);
    expect(zk.callsOf('getChildren', CONFIGURATORS)).toHaveLength(1);
  });

  it('re-arms exactly once per event and tells every listener the whole new list', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1));
    const a: number[][] = [];
    const b: number[][] = [];
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => a.push(ports(l)));
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => b.push(ports(l)));
    zk.addChild(PROVIDERS, providerNode(2));
    await waitUntil('second list', () => a.length === 2 && b.length === 2);
    expect(a).toEqual([[1], [1, 2]]);
    expect(b).toEqual(a);
    expect(zk.callsOf('getChildren', PROVIDERS)).toHaveLength(2);
    zk.removeNode(`${PROVIDERS}/${providerNode(1)}`);
    await waitUntil('third list', () => a.length === 3);
    expect(a[2]).toEqual([2]);
    expect(zk.callsOf('getChildren', PROVIDERS)).toHaveLength(3);
    expect(zk.current.watcherCount(PROVIDERS)).toBe(1);
  });

  it('coalesces events fired back-to-back while arming into one pending re-arm', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1));
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, () => undefined);
    const watcher = zk.callsOf('getChildren', PROVIDERS)[0]?.watcher;
    expect(watcher).toBeDefined();
    const event = { type: 4, name: 'NODE_CHILDREN_CHANGED', path: PROVIDERS };
    watcher?.(event); // consumes the armed state → one read in flight
    for (let i = 0; i < 10; i++) {
      watcher?.(event);
    }
    await waitUntil(
      're-reads to finish',
      () => registry.stats().paths[PROVIDERS]?.state === 'armed' && zk.callsOf('getChildren', PROVIDERS).length === 3,
    );
    await new Promise((r) => setImmediate(r));
    expect(zk.callsOf('getChildren', PROVIDERS)).toHaveLength(3); // initial + 1 re-arm + 1 pending re-arm
    expect(zk.current.watcherCount(PROVIDERS)).toBe(1);
  });

  it('watches a missing providers path for its creation with the same function', async () => {
    const zk = new FakeZooKeeper();
    const registry = makeRegistry(zk);
    await registry.connect();
    const lists: number[][] = [];
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => lists.push(ports(l)));
    expect(lists).toEqual([[]]);
    expect(registry.stats().paths[PROVIDERS]?.watch).toBe('exists');
    zk.addChild(PROVIDERS, providerNode(7));
    await waitUntil('provider seen', () => lists.length === 2);
    expect(lists[1]).toEqual([7]);
    const fns = new Set([...zk.callsOf('exists', PROVIDERS), ...zk.callsOf('getChildren', PROVIDERS)].map((c) => c.watcher));
    expect(fns.size).toBe(1);
  });

  it('does nothing on a same-session reconnect and keeps the last known providers meanwhile', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1));
    const lists: number[][] = [];
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => lists.push(ports(l)));
    const session = registry.stats().sessionId;
    const before = zk.calls.length;
    zk.current.dropConnection();
    expect(registry.status).toBe('disconnected');
    // requests made while disconnected would queue without bound: there must be none
    for (let i = 0; i < 100; i++) {
      await registry.subscribe({ interface: IFACE, version: '1.0.0' }, () => undefined);
    }
    expect(zk.current.connectionManager.packetQueue.queue).toHaveLength(0);
    expect(lists).toEqual([[1]]);
    zk.addChild(PROVIDERS, providerNode(2)); // happens while disconnected
    zk.current.reconnect();
    await waitUntil('change seen after reconnect', () => lists.length === 2);
    expect(lists[1]).toEqual([1, 2]);
    expect(registry.stats().sessionId).toBe(session);
    expect(registry.stats().clientsCreated).toBe(1);
    expect(zk.calls.length - before).toBe(1); // only the re-arm after the missed event
    expect(zk.current.watcherCount(PROVIDERS)).toBe(1);
  });

  it('retries a read lost to a connection drop once, on reconnect', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1));
    zk.inject({ op: 'getChildren', path: PROVIDERS, hang: true });
    const pending = registry.subscribe({ interface: IFACE, version: '1.0.0' }, () => undefined);
    await waitUntil('request in flight', () => zk.callsOf('getChildren', PROVIDERS).length === 1);
    zk.current.dropConnection();
    zk.current.reconnect();
    await pending;
    expect(zk.callsOf('getChildren', PROVIDERS)).toHaveLength(2);
    expect(zk.current.watcherCount(PROVIDERS)).toBe(1);
  });

  it('on session expiry makes exactly one new client, drops the old one and re-arms and re-registers once', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1));
    const lists: number[][] = [];
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => lists.push(ports(l)));
    await registry.register({ interface: IFACE, version: '1.0.0' });
    expect(zk.children(CONSUMERS)).toHaveLength(1);
    const old = zk.current;
    const oldSession = old.session as string;
    const statuses: string[] = [];
    registry.onStatus((s) => statuses.push(s));
    zk.expireSession(oldSession);
    expect(zk.children(CONSUMERS)).toHaveLength(0);
    await waitUntil('new session', () => registry.status === 'connected' && registry.stats().consumerNodes === 1);
    expect(statuses).toEqual(['disconnected', 'expired-recovering', 'connected']);
    expect(zk.clients).toHaveLength(2);
    expect(old.closed).toBe(true);
    for (const event of ['connected', 'disconnected', 'expired', 'authenticationFailed']) {
      expect(old.listenerCount(event)).toBe(0);
    }
    const fresh = zk.current;
    expect(zk.calls.filter((c) => c.client === fresh.index && c.op === 'getChildren' && c.path === PROVIDERS)).toHaveLength(1);
    expect(zk.calls.filter((c) => c.client === fresh.index && c.op === 'create')).toHaveLength(1);
    expect(zk.children(CONSUMERS)).toHaveLength(1);
    expect(fresh.watcherCount(PROVIDERS)).toBe(1);
    // the same watcher function serves the new client
    expect(zk.callsOf('getChildren', PROVIDERS).map((c) => c.watcher)).toEqual(
      Array(2).fill(zk.callsOf('getChildren', PROVIDERS)[0]?.watcher),
    );
    const stats = registry.stats();
    expect(stats.clientsCreated).toBe(2);
    expect(stats.sessionsSeen).toBe(2);
    expect(lists).toEqual([[1]]); // nothing changed, so nothing re-delivered
    zk.addChild(PROVIDERS, providerNode(2));
    await waitUntil('updates flow again', () => lists.length === 2);
  });

  it('starts a new session itself after staying disconnected longer than the session timeout', async () => {
    const { zk, registry } = await connected(new FakeZooKeeper(), { sessionTimeoutMs: 50 });
    await registry.subscribe({ interface: IFACE }, () => undefined);
    zk.accepting = false;
    zk.current.dropConnection();
    await waitUntil('recovery started', () => registry.status === 'expired-recovering', 2000);
    expect(zk.clients).toHaveLength(2);
    expect(zk.clients[0]?.closed).toBe(true);
    zk.allowConnections();
    await waitUntil('connected again', () => registry.status === 'connected');
    expect(zk.clients).toHaveLength(2);
    expect(registry.stats().sessionsSeen).toBe(2);
  });

  it('answers a hung request with a timeout, drops the connection once and reads again, with no timer per call', async () => {
    const logger = recordingLogger();
    const { zk, registry } = await connected(new FakeZooKeeper(), { logger });
    zk.addChild(PROVIDERS, providerNode(1));
    zk.inject({ op: 'getChildren', path: PROVIDERS, hang: true });
    const lists: number[][] = [];
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => lists.push(ports(l)));
    expect(lists).toEqual([[1]]);
    expect(zk.current.socketDestroys).toHaveLength(1);
    expect(registry.stats().requestTimeouts).toBe(1);
    expect(zk.callsOf('getChildren', PROVIDERS)).toHaveLength(2);
    expect(zk.current.watcherCount(PROVIDERS)).toBe(1);
    expect(logger.warnings.some((w) => w.includes('did not answer'))).toBe(true);
  });

  it('retries other read errors on one backoff timer per path', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1));
    zk.inject({ op: 'getChildren', path: PROVIDERS, code: -1 });
    zk.inject({ op: 'getChildren', path: PROVIDERS, code: -1 });
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, () => undefined);
    expect(zk.callsOf('getChildren', PROVIDERS)).toHaveLength(3);
    expect(zk.current.watcherCount(PROVIDERS)).toBe(1);
  });

  it('rejects subscribe with a clear RegistryError when the ACL refuses the read, and succeeds with the credentials', async () => {
    const zk = new FakeZooKeeper();
    zk.mkdirp(PROVIDERS, 'alice:secret');
    zk.mkdirp(CONFIGURATORS);
    zk.addChild(PROVIDERS, providerNode(1));
    const anonymous = makeRegistry(zk);
    await anonymous.connect();
    const error = await anonymous
      .subscribe({ interface: IFACE, version: '1.0.0' }, () => undefined)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/NO_AUTH.*registry\.auth/);
    const withAuth = makeRegistry(zk, { auth: 'alice:secret' });
    await withAuth.connect();
    const lists: number[][] = [];
    await withAuth.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => lists.push(ports(l)));
    expect(lists).toEqual([[1]]);
    expect(zk.current.authInfo).toEqual(['digest:alice:secret']);
  });

  it('skips malformed nodes with one warning each, however often the list is read', async () => {
    const logger = recordingLogger();
    const { zk, registry } = await connected(new FakeZooKeeper(), { logger });
    zk.addChild(PROVIDERS, providerNode(1));
    zk.addChild(PROVIDERS, '%E0%A4%A');
    zk.addChild(PROVIDERS, 'not-a-url');
    zk.addChild(PROVIDERS, encodeNodeName(`tri://127.0.0.1:5/${IFACE}`));
    const lists: number[][] = [];
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => lists.push(ports(l)));
    for (const port of [2, 3, 4]) {
      zk.addChild(PROVIDERS, providerNode(port));
      await waitUntil(`provider ${port}`, () => lists.at(-1)?.includes(port));
    }
    expect(lists.at(-1)).toEqual([1, 2, 3, 4]);
    expect(logger.warnings.filter((w) => w.includes('malformed'))).toHaveLength(2);
  });

  it('applies configurators: re-weights, disables and re-enables providers', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1));
    zk.addChild(PROVIDERS, providerNode(2));
    let latest: readonly ProviderUrl[] = [];
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => (latest = l));
    const weigh = encodeNodeName(`override://127.0.0.1:2/${IFACE}?category=configurators&dynamic=false&weight=300`);
    zk.addChild(CONFIGURATORS, weigh);
    await waitUntil('re-weighted', () => latest.find((p) => p.port === 2)?.weight === 300);
    expect(latest.find((p) => p.port === 1)?.weight).toBe(100);
    const disable = encodeNodeName(`override://0.0.0.0/${IFACE}?category=configurators&disabled=true`);
    zk.addChild(CONFIGURATORS, disable);
    await waitUntil('all disabled', () => latest.length === 0);
    zk.removeNode(`${CONFIGURATORS}/${disable}`);
    await waitUntil('enabled again', () => latest.length === 2);
  });

  it('ignores providers registered with enabled=false', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1, 'version=1.0.0&enabled=false'));
    zk.addChild(PROVIDERS, providerNode(2));
    const lists: number[][] = [];
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => lists.push(ports(l)));
    expect(lists).toEqual([[2]]);
  });

  it('isolates a throwing listener from the others', async () => {
    const logger = recordingLogger();
    const { zk, registry } = await connected(new FakeZooKeeper(), { logger });
    zk.addChild(PROVIDERS, providerNode(1));
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, () => {
      throw new Error('boom');
    });
    const lists: number[][] = [];
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => lists.push(ports(l)));
    expect(lists).toEqual([[1]]);
    expect(logger.errors.some((e) => e.includes('boom'))).toBe(true);
  });

  it('stops re-arming a path nobody listens to, and re-reads it when someone subscribes again', async () => {
    const { zk, registry } = await connected();
    zk.addChild(PROVIDERS, providerNode(1));
    const unsubscribe = await registry.subscribe({ interface: IFACE, version: '1.0.0' }, () => undefined);
    unsubscribe();
    zk.addChild(PROVIDERS, providerNode(2));
    await waitUntil('path retired', () => registry.stats().paths[PROVIDERS]?.state === 'idle');
    expect(zk.callsOf('getChildren', PROVIDERS)).toHaveLength(1);
    expect(zk.current.watcherCount(PROVIDERS)).toBe(0);
    const lists: number[][] = [];
    await registry.subscribe({ interface: IFACE, version: '1.0.0' }, (l) => lists.push(ports(l)));
    expect(lists).toEqual([[1, 2]]);
    expect(zk.callsOf('getChildren', PROVIDERS)).toHaveLength(2);
  });

  it('fails connect with RegistryConnectionError after connectTimeoutMs, and keeps trying until closed', async () => {
    const zk = new FakeZooKeeper();
    zk.accepting = false;
    const registry = makeRegistry(zk, { connectTimeoutMs: 30 });
    await expect(registry.connect()).rejects.toBeInstanceOf(RegistryConnectionError);
    expect(registry.status).toBe('connecting');
    await expect(registry.subscribe({ interface: IFACE }, () => undefined)).rejects.toBeInstanceOf(RegistryConnectionError);
    zk.mkdirp(PROVIDERS);
    zk.allowConnections();
    await registry.connect();
    await registry.subscribe({ interface: IFACE }, () => undefined);
    expect(zk.clients).toHaveLength(1);
  });

  it('registers one consumer node per interface/group/version with a proper consumer URL, and removes it', async () => {
    const { zk, registry } = await connected();
    await Promise.all([
      registry.register({ interface: IFACE, version: '1.0.0' }),
      registry.register({ interface: IFACE, version: '1.0.0' }),
    ]);
    await registry.register({ interface: IFACE, version: '1.0.0' });
    await registry.register({ interface: IFACE, version: '2.0.0', group: 'g' });
    const nodes = zk.children(CONSUMERS).map((n) => decodeURIComponent(n.replace(/\+/g, ' ')));
    expect(nodes).toHaveLength(2);
    const v1 = nodes.find((n) => n.includes('version=1.0.0')) ?? '';
    const url = new URL(v1.replace('consumer://', 'http://'));
    expect(url.hostname).toBe('127.0.0.1');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      application: 'unit-app',
      category: 'consumers',
      check: 'false',
      dubbo: '2.0.2',
      generic: 'true',
      interface: IFACE,
      pid: String(process.pid),
      side: 'consumer',
      version: '1.0.0',
    });
    expect(nodes.find((n) => n.includes('version=2.0.0'))).toContain('group=g');
    expect(registry.stats().consumerNodes).toBe(2);
    await registry.unregister({ interface: IFACE, version: '2.0.0', group: 'g' });
    expect(zk.children(CONSUMERS)).toHaveLength(1);
    await registry.close();
    expect(zk.children(CONSUMERS)).toHaveLength(0);
  });

  it('replaces a consumer node left behind by an older session', async () => {
    const { zk, registry } = await connected();
    await registry.register({ interface: IFACE });
    const name = zk.children(CONSUMERS)[0] as string;
    const first = zk.current.session as string;
    // the old session still owns the node while a new session starts
    zk.accepting = false;
    zk.current.dropConnection();
    await waitUntil('client-side expiry', () => registry.status === 'expired-recovering', 3000);
    zk.allowConnections();
    await waitUntil('node re-created', () => registry.stats().consumerNodeCreations === 2, 3000);
    expect(zk.children(CONSUMERS)).toEqual([name]);
    expect(zk.nodes.get(`${CONSUMERS}/${name}`)?.ephemeralOwner).not.toBe(first);
  });

  it('closes cleanly: listeners removed, client closed, calls rejected afterwards', async () => {
    const { zk, registry } = await connected();
    await registry.subscribe({ interface: IFACE }, () => undefined);
    const client = zk.current;
    await registry.close();
    expect(registry.status).toBe('closed');
    expect(client.closed).toBe(true);
    expect(client.connectionManager.state).toBe(-2);
    for (const event of ['connected', 'disconnected', 'expired', 'authenticationFailed']) {
      expect(client.listenerCount(event)).toBe(0);
    }
    await expect(registry.subscribe({ interface: IFACE }, () => undefined)).rejects.toBeInstanceOf(RegistryError);
    await expect(registry.connect()).rejects.toBeInstanceOf(RegistryError);
    await registry.close();
  });
});
