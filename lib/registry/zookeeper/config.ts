/** The ZooKeeper registry's configuration: what can be set, and the one place its defaults are applied. */
import { type DubboLogger } from '../../logging/logger.js';
import { ZOOKEEPER_REGISTRY_DEFAULTS } from './defaults.js';

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

/** The configuration with every default applied; `rootPath` is '' for the root itself. */
export type ResolvedZookeeperConfig = Required<Omit<ZookeeperRegistryConfig, 'auth' | 'consumerHost' | 'logger'>> & {
  auth: string | undefined;
  consumerHost: string | undefined;
};

/**
 * Applies the defaults. The values were checked once, by the module's resolveOptions (the registry
 * is internal: nothing else builds one from untrusted input), so they are not checked again here.
 */
export function resolveZookeeperConfig(config: ZookeeperRegistryConfig): ResolvedZookeeperConfig {
  const rootPath = config.rootPath ?? ZOOKEEPER_REGISTRY_DEFAULTS.rootPath;
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
