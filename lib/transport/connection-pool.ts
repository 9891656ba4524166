import { ClientClosedError } from '../errors/client-closed.error.js';
import { type DubboLogger, silentLogger } from '../logging/logger.js';
import { type RpcInvocation } from '../protocol/invocation.js';
import { type ConnectionStatus } from './connection-status.js';
import { type DubboConnectionOptions, type RequestOptions } from './connection-options.js';
import { DubboConnection } from './dubbo-connection.js';
import { DEFAULT_CONNECTIONS_PER_ADDRESS } from './defaults.js';

export type ConnectionPoolOptions = Omit<DubboConnectionOptions, 'host' | 'port' | 'logger'> & {
  /** Connections per provider address; calls go round-robin over the available ones. @default 1 */
  connections?: number;
  logger?: DubboLogger;
};

/** A reference's hold on one provider address; release it when the provider is no longer used. */
export interface ConnectionLease {
  readonly address: string;
  /**
   * True while at least one of the address's connections takes new calls: ready, or idle or
   * connecting (the call queues until connected). Not the same as ready; see `whenReady`.
   */
  readonly acceptsCalls: boolean;
  request(invocation: RpcInvocation, options?: RequestOptions): Promise<unknown>;
  /**
   * Resolves true as soon as one of the address's connections is connected and writable, false
   * after `ms` or when `signal` aborts. One status listener per connection serves every waiter.
   */
  whenReady(ms: number, signal?: AbortSignal): Promise<boolean>;
  /** Connections waiting out a reconnect backoff try now (the provider was seen in the registry again). */
  reconnectNow(): void;
  /** Idempotent. The address's connections close when its last lease is released. */
  release(): Promise<void>;
}

interface Entry {
  address: string;
  connections: DubboConnection[];
  refs: number;
  next: number;
  /** Calls waiting for a connection of this address to be ready again. */
  readyWaiters: Set<() => void>;
}

export function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new TypeError(`not a host:port address: '${address}'`);
  }
  return { host, port };
}

/**
 * Shared, multiplexed connections per provider address (`host:port`): every reference to a provider
 * uses the same connection(s), created lazily on first call, and closed when the last lease on the
 * address is released.
 */
export class ConnectionPool {
  private readonly entries = new Map<string, Entry>();
  private closed = false;
  private readonly size: number;
  private readonly logger: DubboLogger;

  constructor(private readonly options: ConnectionPoolOptions = {}) {
    this.size = Math.max(1, options.connections ?? DEFAULT_CONNECTIONS_PER_ADDRESS);
    this.logger = options.logger ?? silentLogger;
  }

  /** Addresses with live leases and their connections' status, for health checks. */
  snapshot(): Array<{ address: string; refs: number; connections: Array<{ status: ConnectionStatus; inFlight: number }> }> {
    return [...this.entries.values()].map((e) => ({
      address: e.address,
      refs: e.refs,
      connections: e.connections.map((c) => ({ status: c.status, inFlight: c.inFlight })),
    }));
  }

  acquire(address: string): ConnectionLease {
    if (this.closed) {
      throw new ClientClosedError('The connection pool is closed');
    }
    let entry = this.entries.get(address);
    if (!entry) {
      const { host, port } = parseAddress(address);
      const connections: DubboConnection[] = [];
      for (let i = 0; i < this.size; i++) {
        connections.push(new DubboConnection({ ...this.options, host, port, logger: this.logger }));
      }
      const created: Entry = { address, connections, refs: 0, next: 0, readyWaiters: new Set() };
      for (const c of connections) {
        c.on('status', (status) => {
          if (status === 'ready' && created.readyWaiters.size > 0) {
            for (const wake of [...created.readyWaiters]) {
              wake();
            }
          }
        });
      }
      entry = created;
      this.entries.set(address, entry);
    }
    entry.refs++;
    const owned = entry;
    let released = false;
    return {
      address,
      get acceptsCalls(): boolean {
        return owned.connections.some((c) => c.acceptsCalls);
      },
      request: (invocation, options) => this.pick(owned).request(invocation, options),
      whenReady: (ms, signal) => whenReady(owned, ms, signal),
      reconnectNow: () => {
        for (const c of owned.connections) {
          if (c.status === 'reconnecting') {
            c.connect().catch(() => undefined);
          }
        }
      },
      release: () => {
        if (released) {
          return Promise.resolve();
        }
        released = true;
        return this.release(owned);
      },
    };
  }

  /** Round-robin over connections that take calls; falls back to any (its refusal explains why). */
  private pick(entry: Entry): DubboConnection {
    const list = entry.connections;
    if (list.length === 1) {
      return list[0]!;
    }
    for (let i = 0; i < list.length; i++) {
      const c = list[(entry.next + i) % list.length]!;
      if (c.acceptsCalls) {
        entry.next = (entry.next + i + 1) % list.length;
        return c;
      }
    }
    return list[entry.next++ % list.length]!;
  }

  private async release(entry: Entry): Promise<void> {
    entry.refs--;
    if (entry.refs > 0 || this.entries.get(entry.address) !== entry) {
      return;
    }
    this.entries.delete(entry.address);
    wakeAll(entry);
    await Promise.all(entry.connections.map((c) => c.close()));
  }

  /** Closes every connection (pending calls fail with ConnectionClosedError); later acquires throw. */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const e of entries) {
      wakeAll(e);
    }
    await Promise.all(entries.flatMap((e) => e.connections.map((c) => c.close())));
  }
}

function wakeAll(entry: Entry): void {
  for (const wake of [...entry.readyWaiters]) {
    wake();
  }
}

function whenReady(entry: Entry, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (entry.connections.some((c) => c.isAvailable)) {
    return Promise.resolve(true);
  }
  if (signal?.aborted || ms <= 0) {
    return Promise.resolve(false);
  }
  return new Promise<boolean>((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      entry.readyWaiters.delete(wake);
      signal?.removeEventListener('abort', finish);
      resolve(entry.connections.some((c) => c.isAvailable));
    };
    const wake = finish;
    const timer = setTimeout(finish, ms);
    entry.readyWaiters.add(wake);
    signal?.addEventListener('abort', finish, { once: true });
  });
}
