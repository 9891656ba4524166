/**
 * The narrow view of the ZooKeeper session that the parts of the registry (watched paths, consumer
 * nodes, subscriptions) work through, and the hooks by which the session tells the registry that it
 * is live again or lost. `ZkSession` implements the one and calls the other.
 */
import { type RegistryError } from '../../errors/index.js';
import { type DubboLogger } from '../../logging/logger.js';
import { type RegistryStatus } from '../registry.interface.js';
import { type ZkCallback, type ZkClient } from './zk-client.js';

/** What the parts of the registry may see and do of the session. */
export interface ZkContext {
  /** The current client; undefined before connect() and after close(). */
  readonly client: ZkClient | undefined;
  /** Hex id of the current session, once established. */
  readonly session: string | undefined;
  readonly status: RegistryStatus;
  /** Connected with a client: requests may be made. */
  readonly isLive: boolean;
  readonly isClosing: boolean;
  readonly logger: DubboLogger;
  /** One client request bounded by requestTimeoutMs (ZkTimeoutError after it). */
  request<T>(what: string, start: (callback: ZkCallback<T>) => void): Promise<T>;
  /** A request of `client` got no answer: counted, and the connection dropped if `client` is still the live one. */
  timedOut(client: ZkClient): void;
  /** The error for something ZooKeeper did not deliver in time; a connection error while no session was ever established. */
  waitFailed(message: string, service: string): RegistryError;
}

/** What the session tells the rest of the registry. */
export interface ZkSessionHooks {
  /** Connected (a new session, or the same one again): re-arm whatever is idle. */
  onLive(session: string): void;
  /** The session is gone, its client discarded; a new client is being opened. */
  onLost(): void;
}
