/** What can be set on a connection and on one of its calls, and what a connection emits. */
import { type DubboLogger } from '../logging/logger.js';
import { type PreparedService } from '../protocol/prepared-service.js';
import { type BackoffOptions } from '../utils/backoff.util.js';
import { type ConnectionStatus } from './connection-status.js';

/** What a connection emits, with each listener's arguments. */
export interface DubboConnectionEvents {
  /** Every status change: the new status, then the one before. */
  status: [status: ConnectionStatus, previous: ConnectionStatus];
  /** The socket closed under a connected connection (not by close()); a reconnect follows if enabled. */
  disconnect: [];
  /** The provider announced it is shutting down: no new calls go out on this connection. */
  readonly: [];
  /** The provider answered one of our heartbeats. */
  heartbeat: [];
}

export interface DubboConnectionOptions {
  host: string;
  port: number;
  /** @default 3000 */
  connectTimeoutMs?: number;
  /** A heartbeat goes out after this long without reads; 3 missed close the connection. @default 60000 */
  heartbeatIntervalMs?: number;
  /** Largest response body accepted. @default 8 MiB */
  maxPayloadBytes?: number;
  /** Calls awaiting a reply before new calls fail fast. @default 10000 */
  maxInFlight?: number;
  /** Encoded calls waiting for the socket (connecting, or kernel buffer full) before new calls fail fast. @default 10000 */
  maxQueued?: number;
  /** Reconnect after an unexpected close. @default true */
  reconnect?: boolean;
  reconnectBackoff?: BackoffOptions;
  logger?: DubboLogger;
}

export interface RequestOptions {
  /** Deadline of this call. @default 3000 */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The service's prepared prefix, when the caller keeps one per reference. */
  prepared?: PreparedService;
}
