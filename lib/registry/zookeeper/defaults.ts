/** The ZooKeeper registry's configuration: what can be set, its defaults, and the one place they are applied. */
import { DubboConfigError } from '../../errors/index.js';
import { type DubboLogger } from '../../logging/logger.js';

/**
 * Options of {@link ZookeeperRegistry}.
 * @publicApi
 */
export interface ZookeeperRegistryConfig {
  /** Connect string: `host:port[,host:port...][/chroot]`. */
  address: string;
  /** Root of Dubbo's tree. @default '/dubbo' */
  rootPath?: string;
  /** Session timeout asked for (the server may negotiate it). @default 60000 */
  sessionTimeoutMs?: number;
  /** How long connect() waits for the first session. @default 10000 */
  connectTimeoutMs?: number;
  /** Deadline of every ZooKeeper request. @default 10000 */
  requestTimeoutMs?: number;
  /** Digest credentials `user:password`. */
  auth?: string;
  /** Consumer application name, written in consumer nodes. @default 'nestjs-dubbo-generic' */
  application?: string;
  /** Address written in consumer nodes. @default the local address of the ZooKeeper connection */
  consumerHost?: string;
  /** First delay before a failed read is retried while connected; doubles up to maxRetryDelayMs. @default 500 */
  retryDelayMs?: number;
  /** @default 30000 */
  maxRetryDelayMs?: number;
  logger?: DubboLogger;
}

export const ZOOKEEPER_REGISTRY_DEFAULTS = {
  rootPath: '/dubbo',
  sessionTimeoutMs: 60000,
  connectTimeoutMs: 10000,
  requestTimeoutMs: 10000,
  application: 'nestjs-dubbo-generic',
  retryDelayMs: 500,
  maxRetryDelayMs: 30000,
} as const;

/** Upper bound of the client's random delay before another round over every server. */
export const SPIN_DELAY_MS = 1000;

/** The configuration with every default applied; `rootPath` is '' for the root itself. */
export type ResolvedZookeeperConfig = Required<Omit<ZookeeperRegistryConfig, 'auth' | 'consumerHost' | 'logger'>> & {
  auth: string | undefined;
  consumerHost: string | undefined;
};

/** Checks the configuration and applies the defaults; throws DubboConfigError on a bad value. */
export function resolveZookeeperConfig(config: ZookeeperRegistryConfig): ResolvedZookeeperConfig {
  if (typeof config.address !== 'string' || config.address.trim() === '') {
    throw new DubboConfigError('registry.address', "must be a ZooKeeper connect string such as '127.0.0.1:2181'");
  }
  const rootPath = config.rootPath ?? ZOOKEEPER_REGISTRY_DEFAULTS.rootPath;
  if (!rootPath.startsWith('/') || (rootPath.length > 1 && rootPath.endsWith('/'))) {
    throw new DubboConfigError('registry.rootPath', `must start with '/' and not end with '/', got '${rootPath}'`);
  }
  if (config.auth !== undefined && !/^[^:]+:/.test(config.auth)) {
    throw new DubboConfigError('registry.auth', "must be digest credentials 'user:password'");
  }
  return {
    address: config.address.trim(),
    rootPath: rootPath === '/' ? '' : rootPath,
    sessionTimeoutMs: config.sessionTimeoutMs ?? ZOOKEEPER_REGISTRY_DEFAULTS.sessionTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs ?? ZOOKEEPER_REGISTRY_DEFAULTS.connectTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs ?? ZOOKEEPER_REGISTRY_DEFAULTS.requestTimeoutMs,
    application: config.application ?? ZOOKEEPER_REGISTRY_DEFAULTS.application,
    retryDelayMs: config.retryDelayMs ?? ZOOKEEPER_REGISTRY_DEFAULTS.retryDelayMs,
    maxRetryDelayMs: config.maxRetryDelayMs ?? ZOOKEEPER_REGISTRY_DEFAULTS.maxRetryDelayMs,
    auth: config.auth,
    consumerHost: config.consumerHost,
  };
}
