import 'reflect-metadata';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DubboGenericModule, GenericClient } from 'nestjs-dubbo-generic';
import { invoke } from '../../lib/transport/invoke.js';
import { DubboProvider } from '../../tools/dubbo-env/dubbo-provider.js';
import { waitUntil } from '../helpers/wait.js';
import { ZooKeeperServer } from '../../tools/dubbo-env/zookeeper-server.js';

// Providers restarted at once while 128 calls are in flight: failover, retries 2, random balancing.
// Each provider exports 100 generated services one after the other and the calls go to the last one:
// a new JVM accepts connections from its first export on and answers "service not found" for the
// last until it gets there. A provider killed with SIGKILL keeps its ZooKeeper nodes until its
// session expires (10 s, the server's cap), so the client keeps reconnecting to it meanwhile.
const MANY = 100;
const LAST = `org.apache.dubbo.test.many.Service${String(MANY - 1).padStart(4, '0')}`;
const PREFIX = `Service${String(MANY - 1).padStart(4, '0')}:`;
const call = (text: string) => ({ service: LAST, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: [text] });
const IN_FLIGHT = 128;
// One ZooKeeper per test: the nodes of killed JVMs outlive their test by up to a session timeout.
let zk: ZooKeeperServer;
const zks: ZooKeeperServer[] = [];
const providers: DubboProvider[] = [];
const apps: INestApplication[] = [];

beforeEach(async () => {
  zk = await ZooKeeperServer.start();
  zks.push(zk);
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await Promise.all(providers.map((p) => p.kill()));
  await Promise.all(zks.map((z) => z.close()));
});

async function startProviders(n: number): Promise<DubboProvider[]> {
  const started = await Promise.all(Array.from({ length: n }, () => DubboProvider.start({ zk: zk.connectString, many: MANY })));
  providers.push(...started);
  return started;
}

async function startClient(): Promise<GenericClient> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      DubboGenericModule.forRoot({
        application: 'restart-app',
        registry: { address: zk.connectString },
        defaults: { cluster: 'failover', retries: 2, timeoutMs: 3000 },
        logger: false,
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  apps.push(app);
  return app.get(GenericClient);
}

/** One call creates the reference; then its provider list is exactly these providers. */
async function listed(client: GenericClient, expected: DubboProvider[]): Promise<void> {
  await expect(client.invoke(call('warm'))).resolves.toBe(`${PREFIX}warm`);
  const want = expected
    .map((p) => p.address)
    .sort()
    .join(',');
  await waitUntil(
    `providers ${want} listed`,
    () =>
      client
        .snapshot()
        .references[0]?.providers.map((p) => p.address)
        .sort()
        .join(',') === want,
    20000,
    20,
  );
}

/** IN_FLIGHT chains of calls, each issuing its next call when the previous one settles. */
function load(client: GenericClient) {
  let running = true;
  let ok = 0;
  const failures: string[] = [];
  const chains = Array.from({ length: IN_FLIGHT }, async (_, chain) => {
    for (let n = 0; running; n++) {
      const text = `c${chain}-${n}`;
      try {
        const back = await client.invoke(call(text));
        if (back === `${PREFIX}${text}`) {
          ok++;
        } else {
          failures.push(`wrong answer ${JSON.stringify(back)} for ${text}`);
        }
      } catch (err) {
        failures.push(`${(err as Error).name}: ${(err as Error).message}`);
      }
    }
  });
  return {
    get ok() {
      return ok;
    },
    async stop() {
      running = false;
      await Promise.all(chains);
      return { ok, failures };
    },
  };
}

/** The provider exports the last service again and the client has a ready connection to it. */
async function servingAgain(client: GenericClient, provider: DubboProvider): Promise<void> {
  await expect(
    invoke(provider.address, { path: LAST, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['direct'] }),
  ).resolves.toBe(`${PREFIX}direct`);
  await waitUntil(
    `the client's connection to ${provider.address}`,
    () => client.snapshot().connections.some((c) => c.address === provider.address && c.status === 'ready'),
    20000,
    20,
  );
}

/** At least `calls` more calls succeeded. */
async function progress(traffic: ReturnType<typeof load>, calls: number): Promise<void> {
  const target = traffic.ok + calls;
  await waitUntil(`${calls} more calls`, () => traffic.ok >= target, 30000, 10);
}

describe('providers restarted at once under load', () => {
  it('2 providers, one killed with SIGKILL and restarted at once, 3 times: no call fails', async () => {
    const [victim, other] = await startProviders(2);
    const client = await startClient();
    await listed(client, [victim!, other!]);
    const traffic = load(client);
    await progress(traffic, 2000);
    for (let round = 0; round < 3; round++) {
      await victim!.killAndRestart();
      await servingAgain(client, victim!);
      await progress(traffic, 2000);
    }
    const { ok, failures } = await traffic.stop();
    expect(failures.slice(0, 5)).toEqual([]);
    expect(failures).toHaveLength(0);
    expect(ok).toBeGreaterThan(8000);
    expect(other!.running).toBe(true);
    await Promise.all([victim!.kill(), other!.kill()]);
  });

  it('3 providers restarted one after the other (graceful stop, new JVM at once): no call fails', async () => {
    const rolling = await startProviders(3);
    const client = await startClient();
    await listed(client, rolling);
    const traffic = load(client);
    await progress(traffic, 2000);
    for (const p of rolling) {
      await p.restart();
      await servingAgain(client, p);
      await progress(traffic, 2000);
    }
    const { ok, failures } = await traffic.stop();
    expect(failures.slice(0, 5)).toEqual([]);
    expect(failures).toHaveLength(0);
    expect(ok).toBeGreaterThan(8000);
  });
});
