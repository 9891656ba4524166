import { DubboProvider } from '../../tools/dubbo-env/dubbo-provider.js';
import { buildFixtures } from '../../tools/dubbo-env/java-fixtures.js';
import { ZooKeeperServer } from '../../tools/dubbo-env/zookeeper-server.js';

/** A throwaway ZooKeeper and a Dubbo 3.3 provider with every demo service, on 127.0.0.1. */
export interface LocalDubboEnv {
  /** ZooKeeper connect string. */
  readonly zk: string;
  readonly provider: string;
  readonly pids: number[];
  /** Graceful provider stop (it unregisters), then ZooKeeper; by PID; safe to call twice. */
  stop(): Promise<void>;
}

const HANDLED_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Starts the demo environment with the Java fixtures of the test suite (building them with Maven
 * first when needed). Requires Java 17+ and Maven 3.8+.
 *
 * The process helpers kill every JVM at once on SIGINT/SIGTERM, which suits a test run. Here the
 * application must drain its calls first, so those two listeners are taken off again and main.ts
 * stops the environment after the application has closed. Their exit hook stays as a safety net, and
 * the JVMs also end by themselves if this process dies.
 */
export async function startLocalDubboEnv(log: (line: string) => void): Promise<LocalDubboEnv> {
  const before = new Map(HANDLED_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const dropHelperSignalListeners = (): void => {
    for (const signal of HANDLED_SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)?.has(listener)) {
          process.removeListener(signal, listener);
        }
      }
    }
  };

  buildFixtures(log);
  let zk: ZooKeeperServer | undefined;
  let provider: DubboProvider | undefined;
  try {
    log('starting ZooKeeper on 127.0.0.1...');
    zk = await ZooKeeperServer.start();
    dropHelperSignalListeners();
    log(`ZooKeeper ready at ${zk.connectString} (pid ${zk.pid}); starting the Dubbo 3.3 demo provider...`);
    provider = await DubboProvider.start({ zk: zk.connectString, flavor: 'dubbo3', app: 'demo-provider' });
    dropHelperSignalListeners();
    log(`Dubbo provider ready at ${provider.address} (pid ${provider.pid}, ${provider.ready?.services} exports)`);
  } catch (err) {
    dropHelperSignalListeners();
    await provider?.kill();
    await zk?.close();
    throw err;
  }

  const started = { zk, provider };
  let stopping: Promise<void> | undefined;
  return {
    zk: zk.connectString,
    provider: provider.address,
    pids: [zk.pid, provider.pid].filter((pid): pid is number => pid !== undefined),
    stop: () => {
      stopping ??= (async () => {
        log(`stopping the Dubbo provider (pid ${started.provider.pid}) and ZooKeeper (pid ${started.zk.pid})`);
        try {
          await started.provider.stop();
        } finally {
          await started.zk.close();
        }
      })();
      return stopping;
    },
  };
}
