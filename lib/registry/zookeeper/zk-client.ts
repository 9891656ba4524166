/**
 * The slice of node-zookeeper-client the registry uses, typed by us so that no third-party type
 * reaches the public declarations, plus request helpers with an app-level timeout (the library has
 * none: a request made while disconnected may never call back).
 */
import zookeeper from 'node-zookeeper-client';

export interface ZkStat {
  /** 8-byte big-endian session id of the owner, all zero for persistent nodes. */
  ephemeralOwner?: Buffer;
}

export interface ZkEvent {
  type: number;
  name: string;
  path: string;
}

export type ZkWatcher = (event: ZkEvent) => void;

export interface ZkError extends Error {
  code: number;
}

export type ZkCallback<T> = (error: Error | null | undefined, result?: T) => void;

/** Library internals read for exact counters (pinned to node-zookeeper-client 1.1.3); all optional. */
export interface ZkInternals {
  state?: number;
  socket?: { destroy(): void; localAddress?: string };
  packetQueue?: { queue?: unknown[] };
  watcherManager?: {
    dataWatchers?: Record<string, ZkEmitterLike>;
    childWatchers?: Record<string, ZkEmitterLike>;
    existenceWatchers?: Record<string, ZkEmitterLike>;
  };
  on?(event: 'state', listener: (state: number) => void): unknown;
  removeListener?(event: 'state', listener: (state: number) => void): unknown;
}

export interface ZkEmitterLike {
  listenerCount(event: string): number;
}

export type ZkClientEvent = 'connected' | 'disconnected' | 'expired' | 'authenticationFailed' | 'connectedReadOnly';

/** What the registry needs from a ZooKeeper client; node-zookeeper-client's Client satisfies it. */
export interface ZkClient {
  connect(): void;
  close(): void;
  on(event: ZkClientEvent, listener: () => void): unknown;
  removeListener(event: ZkClientEvent, listener: () => void): unknown;
  listenerCount(event: string): number;
  getSessionId(): Buffer;
  getSessionTimeout(): number;
  addAuthInfo(scheme: string, auth: Buffer): void;
  getChildren(path: string, watcher: ZkWatcher | undefined, callback: (error: Error | null | undefined, children?: string[]) => void): void;
  exists(path: string, watcher: ZkWatcher | undefined, callback: (error: Error | null | undefined, stat?: ZkStat | null) => void): void;
  create(
    path: string,
    data: Buffer | undefined,
    acls: unknown[],
    mode: number,
    callback: (error: Error | null | undefined, path?: string) => void,
  ): void;
  remove(path: string, version: number, callback: (error: Error | null | undefined) => void): void;
  getData?(path: string, callback: (error: Error | null | undefined, data?: Buffer | null) => void): void;
  connectionManager?: ZkInternals;
}

export interface ZkClientOptions {
  sessionTimeout: number;
  /** Delay (random up to this) before another round over every server. */
  spinDelay: number;
  sessionId?: Buffer;
  sessionPassword?: Buffer;
}

export type ZkClientFactory = (connectString: string, options: ZkClientOptions) => ZkClient;

export const createZkClient: ZkClientFactory = (connectString, options) =>
  zookeeper.createClient(connectString, { ...options, retries: 0 }) as unknown as ZkClient;

export const ZK = {
  NO_NODE: -101,
  NO_AUTH: -102,
  NODE_EXISTS: -110,
  NOT_EMPTY: -111,
  CONNECTION_LOSS: -4,
  SESSION_EXPIRED: -112,
  AUTH_FAILED: -115,
  /** Connection manager state CLOSED. */
  STATE_CLOSED: -2,
  EPHEMERAL: 1,
  PERSISTENT: 0,
  NODE_CREATED: 1,
  NODE_DELETED: 2,
  NODE_DATA_CHANGED: 3,
  NODE_CHILDREN_CHANGED: 4,
} as const;

/** world:anyone with every permission (ZooKeeper's OPEN_ACL_UNSAFE). */
export const ACL_OPEN: unknown[] = [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))];
/** Every permission for the authenticated creator only, as Dubbo ≥ 3.0.11 creates nodes with credentials. */
export const ACL_CREATOR_ALL: unknown[] = [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('auth', ''))];

/** Raised by request() when the client did not answer in time. */
export class ZkTimeoutError extends Error {
  override readonly name = 'ZkTimeoutError';
  readonly code = 'TIMEOUT';
}

export function zkCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Runs one client request with a deadline. A callback that arrives after the deadline is ignored;
 * the timer is unref'd and always cleared.
 */
export function request<T>(what: string, timeoutMs: number, start: (callback: ZkCallback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (!settled) {
        settled = true;
        reject(new ZkTimeoutError(`ZooKeeper did not answer ${what} within ${timeoutMs} ms`));
      }
    }, timeoutMs);
    timer.unref();
    try {
      start((error, result) => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (error) {
          reject(error);
        } else {
          resolve(result as T);
        }
      });
    } catch (err) {
      settled = true;
      clearTimeout(timer);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

export function sessionHex(id: Buffer | undefined): string {
  return id === undefined ? '' : id.toString('hex');
}
