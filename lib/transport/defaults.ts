/** Defaults of the transport layer (one connection, one pool); the root constants file re-exports them. */

/** Deadline of a call that names none (the module's `defaults.timeoutMs` starts from it). @default 3000 */
export const DEFAULT_TIMEOUT_MS = 3000;
/** How long a TCP connect may take. @default 3000 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;
/** A heartbeat goes out after this long without reads. @default 60000 */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 60000;
/** Silent heartbeat intervals after which a connection is judged dead and closed, as in Dubbo. @default 3 */
export const HEARTBEAT_MISSES_BEFORE_CLOSE = 3;
/** Calls awaiting a reply on one connection before new calls fail fast. @default 10000 */
export const DEFAULT_MAX_IN_FLIGHT = 10000;
/**
 * Encoded calls waiting for one connection's socket (still connecting, or the kernel buffer full)
 * before new calls fail fast. The same figure as the in-flight bound, kept apart because it bounds
 * a different queue. @default 10000
 */
export const DEFAULT_MAX_QUEUED = 10000;
/** Connections per provider address. @default 1 */
export const DEFAULT_CONNECTIONS_PER_ADDRESS = 1;
/** Request ids stay below 2^53 so they are plain numbers, then wrap to 1; that is centuries away. */
export const MAX_REQUEST_ID = Number.MAX_SAFE_INTEGER;
