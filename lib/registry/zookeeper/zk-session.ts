/**
 * The registry's one ZooKeeper session: the client's lifecycle, behind the narrow `ZkContext` that
 * the watched paths and the consumer nodes work through.
 *
 * - Same-session reconnects need nothing: the client restores its watches with SetWatches.
 * - A lost session (expired, or disconnected longer than the session timeout) means exactly one new
 *   client; the `onLost` hook then resets every part once and `onLive` re-arms them once connected.
 */
import { RegistryConnectionError, RegistryError, RegistrySessionExpiredError } from '../../errors/index.js';
import { type DubboLogger } from '../../logging/logger.js';
import { type StatusMachine } from '../../utils/status-machine.js';
import { Deferred } from '../../utils/deferred.js';
import { type RegistryStatus } from '../registry.interface.js';
import { type ResolvedZookeeperConfig } from './config.js';
import { SPIN_DELAY_MS } from './defaults.js';
import { request, sessionHex, ZK, type ZkCallback, type ZkClient, type ZkClientFactory } from './zk-client.js';
import { type ZkContext, type ZkSessionHooks } from './zk-context.js';

type SessionConfig = Pick<ResolvedZookeeperConfig, 'address' | 'sessionTimeoutMs' | 'connectTimeoutMs' | 'requestTimeoutMs' | 'auth'>;

export class ZkSession implements ZkContext {
  private current: ZkClient | undefined;
  private sessionId: string | undefined;
  private readonly sessions = new Set<string>();
  private disconnectTimer: NodeJS.Timeout | undefined;
  private lastConnectError: Error | undefined;
  private readonly connectWaiters = new Set<Deferred<void>>();
  private clients = 0;
  private timeouts = 0;

  constructor(
    private readonly config: SessionConfig,
    private readonly statusMachine: StatusMachine<RegistryStatus>,
    readonly logger: DubboLogger,
    private readonly clientFactory: ZkClientFactory,
    private readonly hooks: ZkSessionHooks,
  ) {}

  get client(): ZkClient | undefined {
    return this.current;
  }

  get session(): string | undefined {
    return this.sessionId;
  }

  get status(): RegistryStatus {
    return this.statusMachine.value;
  }

  get isLive(): boolean {
    return this.statusMachine.value === 'connected' && this.current !== undefined;
  }

  get isClosing(): boolean {
    return this.statusMachine.value === 'closing' || this.statusMachine.value === 'closed';
  }

  /** Clients created (one plus one per lost session), distinct sessions, requests that timed out. */
  get counters(): { clientsCreated: number; sessionsSeen: number; sessionId: string | undefined; requestTimeouts: number } {
    return { clientsCreated: this.clients, sessionsSeen: this.sessions.size, sessionId: this.sessionId, requestTimeouts: this.timeouts };
  }

  request<T>(what: string, start: (callback: ZkCallback<T>) => void): Promise<T> {
    return request<T>(what, this.config.requestTimeoutMs, start);
  }

  timedOut(client: ZkClient): void {
    this.timeouts++;
    this.forceReconnect(client);
  }

  waitFailed(message: string, service: string): RegistryError {
    const context = { service, address: this.config.address };
    return this.sessions.size === 0
      ? new RegistryConnectionError(message, { cause: this.lastConnectError, context })
      : new RegistryError(message, { context });
  }

  /** Resolves on the next connected state; rejects after connectTimeoutMs, on an auth failure or on close. */
  whenConnected(): Promise<void> {
    const waiter: Deferred<void> = new Deferred<void>()
      .expireAfter(this.config.connectTimeoutMs, (d) =>
        d.reject(
          new RegistryConnectionError(
            `Could not connect to ZooKeeper at ${this.config.address} within ${this.config.connectTimeoutMs} ms; ` +
              'check that ZooKeeper runs and the address is right (the registry keeps trying until closed)',
            { cause: this.lastConnectError, context: { address: this.config.address } },
          ),
        ),
      )
      .onSettled(() => this.connectWaiters.delete(waiter));
    this.connectWaiters.add(waiter);
    return waiter.promise;
  }

  /** Creates a client and attaches its listeners, once per client. */
  open(): void {
    const client = this.clientFactory(this.config.address, { sessionTimeout: this.config.sessionTimeoutMs, spinDelay: SPIN_DELAY_MS });
    this.clients++;
    this.current = client;
    if (this.config.auth !== undefined) {
      // Stored by the client and sent on every (re)connect, before any request.
      client.addAuthInfo('digest', Buffer.from(this.config.auth));
    }
    client.on('connected', this.onConnected);
    client.on('disconnected', this.onDisconnected);
    client.on('expired', this.onExpired);
    client.on('authenticationFailed', this.onAuthFailed);
    client.connect();
  }

  /** First step of close(): no more recovery, and connect() waiters rejected with `error`. */
  stopWaiting(error: Error): void {
    this.clearDisconnectTimer();
    for (const waiter of [...this.connectWaiters]) {
      waiter.reject(error);
    }
  }

  /** Closes the client, if any, waiting (bounded) until it reports CLOSED. */
  async close(): Promise<void> {
    const client = this.current;
    if (client !== undefined) {
      this.current = undefined;
      await this.closeClient(client);
    }
    this.sessionId = undefined;
  }

  /** A request got no answer although "connected": the socket is probably dead, so make the client move on. */
  private forceReconnect(client: ZkClient): void {
    if (client !== this.current || !this.isLive) {
      return;
    }
    this.logger.warn(`ZooKeeper at ${this.config.address} stopped answering; dropping the connection to reconnect`);
    client.connectionManager?.socket?.destroy();
  }

  private readonly onConnected = (): void => {
    const client = this.current;
    if (client === undefined || this.isClosing) {
      return;
    }
    this.clearDisconnectTimer();
    const session = sessionHex(client.getSessionId());
    const newSession = session !== this.sessionId;
    this.sessionId = session;
    this.sessions.add(session);
    this.statusMachine.set('connected');
    if (newSession) {
      this.logger.log(`ZooKeeper session 0x${session} established with ${this.config.address}`);
    }
    for (const waiter of [...this.connectWaiters]) {
      waiter.resolve();
    }
    this.hooks.onLive(session);
  };

  private readonly onDisconnected = (): void => {
    if (this.isClosing) {
      return;
    }
    if (this.statusMachine.value === 'connected') {
      this.statusMachine.set('disconnected');
      this.logger.warn(`ZooKeeper connection to ${this.config.address} lost; keeping the last known providers while reconnecting`);
    }
    if (this.disconnectTimer === undefined && this.sessionId !== undefined) {
      // The client only learns of expiry once it reaches a server again; past the session timeout the
      // session is gone anyway, so start a new one rather than wait for ever.
      const timeout = this.current?.getSessionTimeout() ?? this.config.sessionTimeoutMs;
      this.disconnectTimer = setTimeout(() => {
        this.disconnectTimer = undefined;
        this.recoverSession(`disconnected for longer than the session timeout (${timeout} ms)`);
      }, timeout);
      this.disconnectTimer.unref();
    }
  };

  private readonly onExpired = (): void => {
    this.recoverSession('the server expired the session');
  };

  private readonly onAuthFailed = (): void => {
    const error = new RegistryError(`ZooKeeper at ${this.config.address} rejected the credentials of registry.auth`, {
      context: { address: this.config.address },
    });
    this.lastConnectError = error;
    this.logger.error(error.message);
    for (const waiter of [...this.connectWaiters]) {
      waiter.reject(error);
    }
  };

  private clearDisconnectTimer(): void {
    if (this.disconnectTimer !== undefined) {
      clearTimeout(this.disconnectTimer);
      this.disconnectTimer = undefined;
    }
  }

  /** Session lost: one new client, and the parts reset once (they re-arm when it connects). */
  private recoverSession(reason: string): void {
    const old = this.current;
    if (this.isClosing || old === undefined || this.sessionId === undefined) {
      return;
    }
    this.clearDisconnectTimer();
    const error = new RegistrySessionExpiredError(
      `ZooKeeper session 0x${this.sessionId} lost (${reason}); opening a new session and re-subscribing, calls keep the last known providers`,
      { context: { address: this.config.address } },
    );
    this.logger.warn(error.message);
    this.statusMachine.set('expired-recovering');
    this.sessionId = undefined;
    this.current = undefined;
    this.discardClient(old);
    this.hooks.onLost();
    this.open();
  }

  /** Removes our listeners and closes a client we no longer use. */
  private discardClient(client: ZkClient): void {
    client.removeListener('connected', this.onConnected);
    client.removeListener('disconnected', this.onDisconnected);
    client.removeListener('expired', this.onExpired);
    client.removeListener('authenticationFailed', this.onAuthFailed);
    try {
      client.close();
    } catch (err) {
      // node-zookeeper-client throws when closed between two connection attempts (no socket yet).
      this.logger.debug?.(`closing a ZooKeeper client: ${(err as Error).message}`);
    }
  }

  /** Closes the session and waits (bounded) until the client reports CLOSED. */
  private async closeClient(client: ZkClient): Promise<void> {
    const manager = client.connectionManager;
    let done = Promise.resolve();
    if (manager?.on !== undefined && manager.state !== ZK.STATE_CLOSED) {
      const closed = new Deferred<void>();
      const onState = (state: number): void => {
        if (state === ZK.STATE_CLOSED) {
          closed.resolve();
        }
      };
      closed
        .expireAfter(this.config.requestTimeoutMs, (d) => {
          // Still not closed (e.g. between two connection attempts): drop the socket ourselves.
          manager.socket?.destroy();
          d.resolve();
        })
        .onSettled(() => manager.removeListener?.('state', onState));
      manager.on('state', onState);
      done = closed.promise;
    }
    this.discardClient(client);
    await done;
  }
}
