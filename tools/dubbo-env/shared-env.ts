import { DubboProvider } from './dubbo-provider.js';
import { ENV_KEYS } from './fixture-env.js';
import { buildFixtures } from './java-fixtures.js';
import { ZooKeeperServer } from './zookeeper-server.js';

interface SharedEnv {
  zk: ZooKeeperServer;
  providers: DubboProvider[];
  users: number;
}

const KEY = Symbol.for('nestjs-dubbo-generic.fixture-env');
type Holder = { [KEY]?: Promise<SharedEnv> };

async function startEnv(): Promise<SharedEnv> {
  buildFixtures((line) => process.stderr.write(`\n[fixtures] ${line}\n`));
  const zk = await ZooKeeperServer.start();
  const providers: DubboProvider[] = [];
  try {
    const [p3, p27] = await Promise.all([
      // Dubbo's fixed pool rejects past its threads (no queue): room for the 500-call pipelining tests.
      DubboProvider.start({ zk: zk.connectString, flavor: 'dubbo3', threads: 512 }),
      DubboProvider.start({ zk: zk.connectString, flavor: 'dubbo27', services: ['echo', 'types', 'fail'], threads: 512 }),
    ]);
    providers.push(p3, p27);
    process.env[ENV_KEYS.zk] = zk.connectString;
    process.env[ENV_KEYS.provider3] = p3.address;
    process.env[ENV_KEYS.provider27] = p27.address;
    return { zk, providers, users: 0 };
  } catch (err) {
    await Promise.all(providers.map((p) => p.kill()));
    await zk.close();
    throw err;
  }
}

/** Starts the shared environment once, however many Jest projects ask for it. */
export async function acquireEnv(): Promise<void> {
  const holder = globalThis as Holder;
  holder[KEY] ??= startEnv();
  const env = await holder[KEY];
  env.users++;
}

export async function releaseEnv(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[KEY];
  if (!pending) {
    return;
  }
  const env = await pending;
  if (--env.users > 0) {
    return;
  }
  delete holder[KEY];
  await Promise.all(env.providers.map((p) => p.stop()));
  await env.zk.close();
}
