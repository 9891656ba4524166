/** The ZooKeeper registry's defaults, each defined once; the root constants file re-exports the public ones. */

/** @default '/dubbo' */
export const DEFAULT_ROOT_PATH = '/dubbo';
/** @default 60000 */
export const DEFAULT_SESSION_TIMEOUT_MS = 60000;
/** @default 10000 */
export const DEFAULT_REGISTRY_CONNECT_TIMEOUT_MS = 10000;
/** @default 10000 */
export const DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS = 10000;

export const ZOOKEEPER_REGISTRY_DEFAULTS = {
  rootPath: DEFAULT_ROOT_PATH,
  sessionTimeoutMs: DEFAULT_SESSION_TIMEOUT_MS,
  connectTimeoutMs: DEFAULT_REGISTRY_CONNECT_TIMEOUT_MS,
  requestTimeoutMs: DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS,
  application: 'nestjs-dubbo-generic',
  retryDelayMs: 500,
  maxRetryDelayMs: 30000,
} as const;

/** Upper bound of the client's random delay before another round over every server. */
export const SPIN_DELAY_MS = 1000;
