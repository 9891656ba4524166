import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import v8 from 'node:v8';
import vm from 'node:vm';
import zookeeper from 'node-zookeeper-client';
import { RegistryConnectionError } from '../../lib/errors/index.js';
import { encodeNodeName, type ProviderUrl } from '../../lib/registry/provider-url.js';
import { ZookeeperRegistry } from '../../lib/registry/zookeeper/zookeeper-registry.js';
import { DubboProvider } from '../../tools/dubbo-env/dubbo-provider.js';
import { waitUntil } from '../helpers/wait.js';
import { FreezableProxy } from '../helpers/freezable-proxy.js';
import { freePort } from '../../tools/dubbo-env/ports.js';
import { ZkInspector } from '../helpers/zk-inspect.js';
import { ZooKeeperServer } from '../../tools/dubbo-env/zookeeper-server.js';

// JVMs on 2 shared cores: generous per-test deadlines (the waits inside are bounded themselves).
jest.setTimeout(180000);

// Faults against a private ZooKeeper and real Dubbo 3.3 providers: timings, exact watch counts on
// both sides, ZooKeeper kill -9 and restart, forced session expiry, provider kill -9.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const ECHO = 'org.apache.dubbo.test.EchoService';
const SERVICES = ['org.apache.dubbo.test.EchoService', 'org.apache.dubbo.test.TypesService', 'org.apache.dubbo.test.UserService'];
const CATEGORIES = 2;
const warnings: string[] = [];
const registryWarnings: string[] = [];
const logger = { log: () => undefined, warn: (m: string) => registryWarnings.push(m), error: (m: string) => registryWarnings.push(m) };
const onWarning = (w: Error): void => {
  warnings.push(w.name);
};

let zk: ZooKeeperServer;
let proxy: FreezableProxy;
let inspector: ZkInspector;
let providerA: DubboProvider;
let providerB: DubboProvider | undefined;
let registry: ZookeeperRegistry;
let baselineWatches: number;
const latest = new Map<string, readonly ProviderUrl[]>();
const deliveries: Array<{ at: number; ports: number[] }> = [];

type Internal = { client: zookeeper.Client | undefined };
const clientOf = (r: ZookeeperRegistry): zookeeper.Client => {
  const client = (r as unknown as Internal).client;
  if (!client) {
    throw new Error('registry has no client');
  }
  return client;
};

function portsOf(list: readonly ProviderUrl[] | undefined): number[] {
  return (list ?? []).map((p) => p.port).sort((a, b) => a - b);
}

function adminCall<T>(_client: zookeeper.Client, fn: (cb: (e: unknown, r?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((e, r) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve(r as T))));
}

async function connectAdmin(connectString: string, extra: Record<string, unknown> = {}): Promise<zookeeper.Client> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 10000, retries: 0, ...extra });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('admin client could not connect')), 30000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    // A twin attached to a session that is already gone is told so at once: that is an answer too.
    client.once('expired', () => {
      clearTimeout(timer);
      resolve();
    });
    client.connect();
  });
  return client;
}

/**
 * Closes our registry's session from a twin client attached with the same id and password. Our
 * registry reaches ZooKeeper through a proxy that is frozen meanwhile, as a network partition
 * would: it cannot reclaim the session before the twin's close lands. Thawed, it finds the
 * session gone. A function of its own so that no reference to the old client outlives it.
 */
async function closeSessionThroughTwin(sessionId: Buffer, sessionPassword: Buffer): Promise<boolean> {
  proxy.freeze();
  try {
    const twin = await connectAdmin(zk.connectString, { sessionId, sessionPassword });
    // The session is alive (our client was merely cut off), so the twin must attach and close it.
    const attached = twin.getState() === zookeeper.State.SYNC_CONNECTED;
    const closed = new Promise<void>((resolve) => twin.once('disconnected', () => resolve()));
    twin.close();
    if (attached) {
      await closed;
    }
    return attached;
  } finally {
    proxy.thaw();
  }
}

async function expectSteadyCounters(sessions: number, clients: number): Promise<void> {
  const stats = registry.stats();
  expect(stats.clientsCreated).toBe(clients);
  expect(stats.sessionsSeen).toBe(sessions);
  expect(stats.maxWatcherFunctionsPerPath).toBe(1);
  expect(stats.clientWatcherFunctions).toBe(SERVICES.length * CATEGORIES);
  expect(stats.pathsWatched).toBe(SERVICES.length * CATEGORIES);
  const client = clientOf(registry);
  expect(client.listenerCount('connected')).toBe(1);
  expect(client.listenerCount('disconnected')).toBe(1);
  expect(client.listenerCount('expired')).toBe(1);
  await waitUntil(
    'zk_watch_count back to baseline + services × categories',
    async () => (await zk.watchCount()) === baselineWatches + SERVICES.length * CATEGORIES,
    30000,
    100,
  );
}

beforeAll(async () => {
  process.on('warning', onWarning);
  zk = await ZooKeeperServer.start();
  proxy = await FreezableProxy.start(zk.connectString);
  inspector = await ZkInspector.connect(zk.connectString);
  providerA = await DubboProvider.start({ zk: zk.connectString, services: ['echo', 'types', 'user'], zkSessionTimeoutMs: 30000 }); // long: it must outlive the ZooKeeper restart below, so its own watches stay the baseline
  await inspector.waitForUrl(ECHO, 'providers', (u) => u.port === providerA.port);
  // Java providers hold watches of their own (configurators); everything above this is ours.
  let previous = -1;
  await waitUntil(
    'provider watches settle (same count on two polls 300 ms apart)',
    async () => {
      const now = await zk.watchCount();
      const settled = now === previous;
      previous = now;
      return settled;
    },
    20000,
    300,
  );
  baselineWatches = await zk.watchCount();
  registry = new ZookeeperRegistry({
    address: proxy.address,
    sessionTimeoutMs: 60000,
    requestTimeoutMs: 5000,
    application: 'registry-it',
    logger,
  });
  await registry.connect();
  for (const iface of SERVICES) {
    await registry.subscribe({ interface: iface, version: '1.0.0' }, (list) => {
      latest.set(iface, list);
      if (iface === ECHO) {
        deliveries.push({ at: Date.now(), ports: portsOf(list) });
      }
    });
    await registry.register({ interface: iface, version: '1.0.0' });
  }
}, 180000);

afterAll(async () => {
  process.off('warning', onWarning);
  await registry?.close();
  await Promise.all([providerA?.kill(), providerB?.kill()]);
  inspector?.close();
  await proxy?.close();
  await zk?.close();
});

describe('ZooKeeperRegistry against a private ZooKeeper and real Dubbo providers', () => {
  it('sees the provider and holds exactly services × categories watches on both sides', async () => {
    expect(portsOf(latest.get(ECHO))).toEqual([providerA.port]);
    const p = latest.get(ECHO)?.[0];
    expect(p).toMatchObject({ host: '127.0.0.1', interface: ECHO, version: '1.0.0', group: '', weight: 100 });
    await expectSteadyCounters(1, 1);
    const consumers = await inspector.urls(ECHO, 'consumers');
    expect(consumers.filter((u) => u.params['pid'] === String(process.pid))).toHaveLength(1);
  });

  it('keeps one listener per path after 10 000 more subscribe calls, with no ZooKeeper request', async () => {
    const before = registry.stats().getChildrenCalls;
    const unsubscribes: Array<() => void> = [];
    for (let i = 0; i < 10000; i++) {
      unsubscribes.push(
        await registry.subscribe({ interface: SERVICES[i % SERVICES.length] ?? ECHO, version: i % 3 ? '1.0.0' : '*' }, () => undefined),
      );
    }
    expect(registry.stats().getChildrenCalls).toBe(before);
    unsubscribes.forEach((u) => u());
    await expectSteadyCounters(1, 1);
  });

  it('sees a provider added and gracefully removed within 1 s', async () => {
    providerB = await DubboProvider.start({ zk: zk.connectString, services: ['echo'], zkSessionTimeoutMs: 4000 });
    const ready = Date.now();
    const b = providerB.port;
    await waitUntil('provider B seen', () => portsOf(latest.get(ECHO)).includes(b), 10000);
    const added = deliveries.find((d) => d.ports.includes(b));
    console.log(`[registry-it] provider added: seen ${Math.max(0, (added?.at ?? 0) - ready)} ms after READY`);
    expect((added?.at ?? Infinity) - ready).toBeLessThan(1000);
    await providerB.stop();
    const stopped = Date.now();
    await waitUntil('provider B gone', () => !portsOf(latest.get(ECHO)).includes(b), 10000);
    const removed = Date.now();
    console.log(`[registry-it] provider removed: seen ${removed - stopped} ms after the process exited`);
    expect(removed - stopped).toBeLessThan(1000);
  });

  it('applies a configurator re-weighting a provider within 1 s, and its removal', async () => {
    const admin = await connectAdmin(zk.connectString);
    try {
      const dir = `/dubbo/${ECHO}/configurators`;
      await adminCall(admin, (cb) => admin.mkdirp(dir, cb));
      const node = `${dir}/${encodeNodeName(`override://127.0.0.1:${providerA.port}/${ECHO}?category=configurators&dynamic=false&enabled=true&weight=250`)}`;
      const t0 = Date.now();
      await adminCall(admin, (cb) => admin.create(node, cb));
      await waitUntil('re-weighted', () => latest.get(ECHO)?.[0]?.weight === 250, 5000, 2);
      const dt = Date.now() - t0;
      console.log(`[registry-it] configurator weight=250 seen after ${dt} ms`);
      expect(dt).toBeLessThan(1000);
      await adminCall(admin, (cb) => admin.remove(node, -1, cb));
      await waitUntil('weight back to 100', () => latest.get(ECHO)?.[0]?.weight === 100, 5000, 2);
    } finally {
      admin.close();
    }
  });

  it('skips malformed provider nodes with one warning each and keeps the subscription', async () => {
    const admin = await connectAdmin(zk.connectString);
    try {
      const dir = `/dubbo/${ECHO}/providers`;
      const bad = ['garbage', '%E0%A4%A', encodeNodeName('dubbo://no-port/x'), encodeNodeName(`tri://127.0.0.1:1/${ECHO}`)];
      for (const name of bad) {
        await adminCall(admin, (cb) => admin.create(`${dir}/${name}`, cb));
      }
      await waitUntil('events processed', () => registry.stats().paths[dir]?.children === 5, 5000);
      expect(portsOf(latest.get(ECHO))).toEqual([providerA.port]);
      // three malformed (the tri:// node is simply not ours), each warned about once across re-reads
      expect(registryWarnings.filter((w) => w.includes('malformed'))).toHaveLength(3);
      for (const name of bad) {
        await adminCall(admin, (cb) => admin.remove(`${dir}/${name}`, -1, cb));
      }
      await waitUntil('cleaned', () => registry.stats().paths[dir]?.children === 1, 5000);
      expect(registry.status).toBe('connected');
    } finally {
      admin.close();
    }
  });

  it('survives ZooKeeper kill -9 and restart within the session: same session, same watches, updates flow', async () => {
    const statuses: string[] = [];
    const off = registry.onStatus((s) => statuses.push(s));
    await zk.kill();
    await waitUntil('disconnected', () => registry.status === 'disconnected', 10000);
    expect(portsOf(latest.get(ECHO))).toEqual([providerA.port]); // never cleared because ZooKeeper is down
    const t0 = Date.now();
    await zk.restart();
    await waitUntil('reconnected', () => registry.status === 'connected', 30000, 20);
    console.log(`[registry-it] reconnected ${Date.now() - t0} ms after ZooKeeper restart began`);
    off();
    expect(statuses).toEqual(['disconnected', 'connected']);
    await expectSteadyCounters(1, 1);
    providerB = await DubboProvider.start({ zk: zk.connectString, services: ['echo'], zkSessionTimeoutMs: 4000 });
    const b = providerB.port;
    await waitUntil('update after restart', () => portsOf(latest.get(ECHO)).includes(b), 10000);
    await providerB.stop();
    await waitUntil('provider B gone', () => !portsOf(latest.get(ECHO)).includes(b), 10000);
  });

  it('recovers from a forced session expiry: one new client, the old one collected, watches and consumer nodes back once', async () => {
    // No strong reference to the old client may stay in this frame, or it could never be collected.
    const { oldRef, sessionId, sessionPassword } = (() => {
      const old = clientOf(registry);
      return { oldRef: new WeakRef(old), sessionId: old.getSessionId(), sessionPassword: old.getSessionPassword() };
    })();
    const statuses: string[] = [];
    const off = registry.onStatus((s) => statuses.push(s));
    const t0 = Date.now();
    expect(await closeSessionThroughTwin(sessionId, sessionPassword)).toBe(true);
    await waitUntil('new session', () => registry.stats().sessionsSeen === 2, 20000, 2);
    off();
    expect(statuses.filter((s) => s === 'expired-recovering')).toHaveLength(1);
    expect(statuses.indexOf('expired-recovering')).toBeGreaterThan(statuses.indexOf('disconnected'));
    await waitUntil(
      'connected with a new session',
      () => registry.status === 'connected' && registry.stats().consumerNodes === SERVICES.length,
      20000,
      5,
    );
    console.log(`[registry-it] session expired and recovered in ${Date.now() - t0} ms`);
    await expectSteadyCounters(2, 2);
    expect(registry.stats().consumerNodeCreations).toBe(SERVICES.length * 2);
    for (const iface of SERVICES) {
      const mine = (await inspector.urls(iface, 'consumers')).filter((u) => u.params['pid'] === String(process.pid));
      expect(mine).toHaveLength(1);
    }
    await waitUntil(
      'old client collected',
      () => {
        gc();
        return oldRef.deref() === undefined;
      },
      10000,
      50,
    );
    expect(portsOf(latest.get(ECHO))).toEqual([providerA.port]);
  });

  it('sees a kill -9ed provider disappear once its session expires', async () => {
    providerB = await DubboProvider.start({ zk: zk.connectString, services: ['echo'], zkSessionTimeoutMs: 3000 });
    const b = providerB.port;
    await waitUntil('provider B seen', () => portsOf(latest.get(ECHO)).includes(b), 10000);
    const t0 = Date.now();
    await providerB.kill();
    await waitUntil('ephemeral node gone', async () => !(await inspector.urls(ECHO, 'providers')).some((u) => u.port === b), 20000, 20);
    const gone = Date.now();
    await waitUntil('listener told', () => !portsOf(latest.get(ECHO)).includes(b), 2000, 2);
    console.log(`[registry-it] kill -9: node gone after ${gone - t0} ms, listener told ${Date.now() - gone} ms later`);
    expect(Date.now() - gone).toBeLessThan(1000);
    expect(portsOf(latest.get(ECHO))).toEqual([providerA.port]);
  });

  it('had no MaxListenersExceededWarning', () => {
    expect(warnings.filter((w) => w === 'MaxListenersExceededWarning')).toEqual([]);
  });
});

describe('ZooKeeper down at start', () => {
  it('fails connect with RegistryConnectionError after connectTimeoutMs', async () => {
    const port = await freePort();
    const down = new ZookeeperRegistry({ address: `127.0.0.1:${port}`, connectTimeoutMs: 1500 });
    const t0 = Date.now();
    try {
      const error = await down.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RegistryConnectionError);
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
      expect(down.status).toBe('connecting');
    } finally {
      await down.close();
    }
    expect(down.status).toBe('closed');
  });
});
