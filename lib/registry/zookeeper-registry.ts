/**
 * Dubbo discovery through ZooKeeper with one session, one watcher function per path for the life of
 * the registry, and a bounded amount of work whatever the number of subscribe calls or faults.
 *
 * - Every interface has one subscription (paths `providers` and `configurators`) shared by every
 *   listener, whatever group/version it asks for; filtering happens in memory.
 * - Each path runs the state machine idle → arming → armed, re-armed once per event, always with
 *   the same watcher function (node-zookeeper-client de-duplicates watchers by identity only).
 * - Same-session reconnects need nothing: the client restores its watches with SetWatches.
 * - A lost session (expired, or disconnected longer than the session timeout) means exactly one new
 *   client, consumer nodes re-created once and each path re-armed once.
 * - Requests are made only while connected, at most one per path at a time, each with a timeout.
 */
import { hostname, networkInterfaces } from 'node:os';
import { DubboConfigError, RegistryConnectionError, RegistryError, RegistrySessionExpiredError } from '../errors/index.js';
import { StatusMachine } from '../utils/status-machine.js';
import { type DubboLogger, silentLogger } from '../logging/logger.js';
import { type ConfiguratorVerdict, type ConsumerIdentity, orderConfigurators, parseConfiguratorNode, applyConfigurators } from './configurators.js';
import {
  classifyProviderNode,
  encodeNodeName,
  formatUrl,
  isDisabled,
  matchesKey,
  normalizeGroup,
  normalizeVersion,
  type ProviderNodeVerdict,
  type ProviderUrl,
  type ServiceKey,
  serviceKeyString,
  toProviderUrl,
} from './provider-url.js';
import { describeRegistered } from './registered-keys.js';
import {
  type ConsumerRegistration,
  type PathStats,
  type ProviderListener,
  type Registry,
  type RegistryStats,
  type RegistryStatus,
} from './registry.interface.js';
import {
  ACL_CREATOR_ALL,
  ACL_OPEN,
  createZkClient,
  request,
  sessionHex,
  ZK,
  type ZkClient,
  type ZkClientFactory,
  type ZkEvent,
  type ZkStat,
  ZkTimeoutError,
  zkCode,
} from './zk-client.js';

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

/** @internal test seam: a fake ZooKeeper client. */
export interface ZookeeperRegistryInternals {
  clientFactory?: ZkClientFactory;
}

const DEFAULTS = {
  rootPath: '/dubbo',
  sessionTimeoutMs: 60000,
  connectTimeoutMs: 10000,
  requestTimeoutMs: 10000,
  application: 'nestjs-dubbo-generic',
  retryDelayMs: 500,
  maxRetryDelayMs: 30000,
} as const;

const SPIN_DELAY_MS = 1000;
const DUBBO_PROTOCOL_VERSION = '2.0.2';

type PathState = 'idle' | 'arming' | 'armed';
type Category = 'providers' | 'configurators';

/** One watched ZooKeeper path. Lives as long as the registry, with the same watcher function. */
class WatchedPath {
  state: PathState = 'idle';
  watch: 'children' | 'exists' | 'none' = 'none';
  /** Last listing read under a watch; undefined when unknown or known to be stale. */
  children: string[] | undefined;
  /** An event arrived while arming: read once more when the current read ends. */
  rearmPending = false;
  /** Increments per request, so a late answer to an abandoned request is ignored. */
  seq = 0;
  retryTimer: NodeJS.Timeout | undefined;
  retryDelayMs = 0;
  /** Read refused by the ACL; not retried until someone subscribes again or a new session starts. */
  denied: RegistryError | undefined;
  getChildrenCalls = 0;
  existsCalls = 0;
  events = 0;
  readonly watcher: (event: ZkEvent) => void;

  constructor(
    readonly path: string,
    readonly category: Category,
    readonly service: ServiceSubscription,
    onEvent: (path: WatchedPath, event: ZkEvent) => void,
  ) {
    // Created once: handing ZooKeeper this same function every time is what keeps one listener per path.
    this.watcher = (event: ZkEvent) => onEvent(this, event);
  }
}

interface ListenerEntry {
  readonly key: ServiceKey;
  readonly listener: ProviderListener;
  signature: string | undefined;
}

interface Waiter {
  entry: ListenerEntry;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Everything known about one interface. */
class ServiceSubscription {
  readonly listeners = new Set<ListenerEntry>();
  waiters: Waiter[] = [];
  deadline: NodeJS.Timeout | undefined;
  readonly providers: WatchedPath;
  readonly configurators: WatchedPath;
  /** Parse results per node name, so each malformed node is warned about once. */
  readonly providerNodes = new Map<string, ProviderNodeVerdict>();
  readonly configuratorNodes = new Map<string, ConfiguratorVerdict>();

  constructor(
    readonly iface: string,
    base: string,
    onEvent: (path: WatchedPath, event: ZkEvent) => void,
  ) {
    this.providers = new WatchedPath(`${base}/providers`, 'providers', this, onEvent);
    this.configurators = new WatchedPath(`${base}/configurators`, 'configurators', this, onEvent);
  }

  get wanted(): boolean {
    return this.listeners.size > 0 || this.waiters.length > 0;
  }

  get paths(): [WatchedPath, WatchedPath] {
    return [this.providers, this.configurators];
  }
}

interface ConsumerEntry {
  readonly key: string;
  readonly registration: ConsumerRegistration;
  /** Set on first creation and then fixed, so every session writes the same node name. */
  nodePath: string | undefined;
  state: 'pending' | 'creating' | 'created';
  /** Session that owns the node when created. */
  session: string | undefined;
  waiters: Array<{ resolve: () => void; reject: (error: Error) => void }>;
  retryTimer: NodeJS.Timeout | undefined;
}

/**
 * The ZooKeeper registry.
 * @publicApi
 */
export class ZookeeperRegistry implements Registry {
  private readonly statusMachine: StatusMachine<RegistryStatus>;
  private readonly options: Required<Omit<ZookeeperRegistryConfig, 'auth' | 'consumerHost' | 'logger'>> & {
    auth: string | undefined;
    consumerHost: string | undefined;
  };
  private readonly logger: DubboLogger;
  private readonly clientFactory: ZkClientFactory;
  private client: ZkClient | undefined;
  private session: string | undefined;
  private readonly sessions = new Set<string>();
  private disconnectTimer: NodeJS.Timeout | undefined;
  private readonly connectWaiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
  private readonly services = new Map<string, ServiceSubscription>();
  private readonly consumers = new Map<string, ConsumerEntry>();
  private readonly startedAt = Date.now();
  private closePromise: Promise<void> | undefined;
  private lastConnectError: Error | undefined;
  private readonly counters = { clientsCreated: 0, getChildren: 0, exists: 0, events: 0, timeouts: 0, consumerCreations: 0, absenceReads: 0 };

  constructor(config: ZookeeperRegistryConfig, internals: ZookeeperRegistryInternals = {}) {
    if (typeof config.address !== 'string' || config.address.trim() === '') {
      throw new DubboConfigError('registry.address', "must be a ZooKeeper connect string such as '127.0.0.1:2181'");
    }
    const rootPath = config.rootPath ?? DEFAULTS.rootPath;
    if (!rootPath.startsWith('/') || (rootPath.length > 1 && rootPath.endsWith('/'))) {
      throw new DubboConfigError('registry.rootPath', `must start with '/' and not end with '/', got '${rootPath}'`);
    }
    if (config.auth !== undefined && !/^[^:]+:/.test(config.auth)) {
      throw new DubboConfigError('registry.auth', "must be digest credentials 'user:password'");
    }
    this.options = {
      address: config.address.trim(),
      rootPath: rootPath === '/' ? '' : rootPath,
      sessionTimeoutMs: config.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs,
      connectTimeoutMs: config.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      application: config.application ?? DEFAULTS.application,
      retryDelayMs: config.retryDelayMs ?? DEFAULTS.retryDelayMs,
      maxRetryDelayMs: config.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
      auth: config.auth,
      consumerHost: config.consumerHost,
    };
    this.logger = config.logger ?? silentLogger;
    this.statusMachine = new StatusMachine<RegistryStatus>('idle', `ZooKeeper registry ${config.address}`, this.logger);
    this.clientFactory = internals.clientFactory ?? createZkClient;
  }

  get status(): RegistryStatus {
    return this.statusMachine.value;
  }

  onStatus(listener: (status: RegistryStatus, previous: RegistryStatus) => void): () => void {
    return this.statusMachine.onChange(listener);
  }

  private setStatus(next: RegistryStatus): void {
    this.statusMachine.set(next);
  }

  private get isLive(): boolean {
    return this.statusMachine.value === 'connected' && this.client !== undefined;
  }

  private get isClosing(): boolean {
    return this.statusMachine.value === 'closing' || this.statusMachine.value === 'closed';
  }

  // ---------------------------------------------------------------- connection

  connect(): Promise<void> {
    if (this.isClosing) {
      return Promise.reject(new RegistryError('The registry is closed'));
    }
    if (this.statusMachine.value === 'connected') {
      return Promise.resolve();
    }
    if (this.statusMachine.value === 'idle') {
      this.setStatus('connecting');
      this.openClient();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          this.connectWaiters.delete(waiter);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          this.connectWaiters.delete(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiter.reject(
          new RegistryConnectionError(
            `Could not connect to ZooKeeper at ${this.options.address} within ${this.options.connectTimeoutMs} ms; ` +
              'check that ZooKeeper runs and the address is right (the registry keeps trying until closed)',
            { cause: this.lastConnectError, context: { address: this.options.address } },
          ),
        );
      }, this.options.connectTimeoutMs);
      timer.unref();
      this.connectWaiters.add(waiter);
    });
  }

  /** Creates a client and attaches its listeners, once per client. */
  private openClient(): void {
    const client = this.clientFactory(this.options.address, {
      sessionTimeout: this.options.sessionTimeoutMs,
      spinDelay: SPIN_DELAY_MS,
    });
    this.counters.clientsCreated++;
    this.client = client;
    if (this.options.auth !== undefined) {
      // Stored by the client and sent on every (re)connect, before any request.
      client.addAuthInfo('digest', Buffer.from(this.options.auth));
    }
    client.on('connected', this.onConnected);
    client.on('disconnected', this.onDisconnected);
    client.on('expired', this.onExpired);
    client.on('authenticationFailed', this.onAuthFailed);
    client.connect();
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

  private readonly onConnected = (): void => {
    const client = this.client;
    if (client === undefined || this.isClosing) {
      return;
    }
    this.clearDisconnectTimer();
    const session = sessionHex(client.getSessionId());
    const newSession = session !== this.session;
    this.session = session;
    this.sessions.add(session);
    this.setStatus('connected');
    if (newSession) {
      this.logger.log(`ZooKeeper session 0x${session} established with ${this.options.address}`);
    }
    for (const waiter of [...this.connectWaiters]) {
      waiter.resolve();
    }
    // Same session: armed paths were restored by the client (SetWatches); only idle ones need work.
    for (const service of this.services.values()) {
      if (service.wanted) {
        for (const path of service.paths) {
          if (path.state === 'idle' && path.denied === undefined) {
            this.arm(path);
          }
        }
      }
    }
    for (const consumer of this.consumers.values()) {
      if (consumer.state === 'pending' || (consumer.state === 'created' && consumer.session !== session)) {
        void this.createConsumerNode(consumer);
      }
    }
  };

  private readonly onDisconnected = (): void => {
    if (this.isClosing) {
      return;
    }
    if (this.statusMachine.value === 'connected') {
      this.setStatus('disconnected');
      this.logger.warn(`ZooKeeper connection to ${this.options.address} lost; keeping the last known providers while reconnecting`);
    }
    if (this.disconnectTimer === undefined && this.session !== undefined) {
      // The client only learns of expiry once it reaches a server again; past the session timeout the
      // session is gone anyway, so start a new one rather than wait for ever.
      const timeout = this.client?.getSessionTimeout() ?? this.options.sessionTimeoutMs;
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
    const error = new RegistryError(`ZooKeeper at ${this.options.address} rejected the credentials of registry.auth`, {
      context: { address: this.options.address },
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

  /** Session lost: one new client, every path re-armed once and consumer nodes re-created once. */
  private recoverSession(reason: string): void {
    const old = this.client;
    if (this.isClosing || old === undefined || this.session === undefined) {
      return;
    }
    this.clearDisconnectTimer();
    const error = new RegistrySessionExpiredError(
      `ZooKeeper session 0x${this.session} lost (${reason}); opening a new session and re-subscribing, calls keep the last known providers`,
      { context: { address: this.options.address } },
    );
    this.logger.warn(error.message);
    this.setStatus('expired-recovering');
    this.session = undefined;
    this.client = undefined;
    this.discardClient(old);
    for (const service of this.services.values()) {
      for (const path of service.paths) {
        this.resetPath(path, service.wanted);
      }
    }
    for (const consumer of this.consumers.values()) {
      this.clearConsumerRetry(consumer);
      consumer.state = 'pending';
      consumer.session = undefined;
    }
    this.openClient();
  }

  /** Forgets any request in flight for the path and returns it to idle. */
  private resetPath(path: WatchedPath, keepListing: boolean): void {
    path.seq++;
    path.state = 'idle';
    path.watch = 'none';
    path.rearmPending = false;
    path.denied = undefined;
    path.retryDelayMs = 0;
    this.clearRetry(path);
    if (!keepListing) {
      path.children = undefined;
    }
  }

  /** A request got no answer although "connected": the socket is probably dead, so make the client move on. */
  private forceReconnect(client: ZkClient): void {
    if (client !== this.client || !this.isLive) {
      return;
    }
    this.logger.warn(`ZooKeeper at ${this.options.address} stopped answering; dropping the connection to reconnect`);
    client.connectionManager?.socket?.destroy();
  }

  // ---------------------------------------------------------------- watching paths

  private readonly onWatchEvent = (path: WatchedPath, _event: ZkEvent): void => {
    path.events++;
    this.counters.events++;
    if (this.isClosing) {
      return;
    }
    if (path.state === 'arming') {
      path.rearmPending = true;
      return;
    }
    path.state = 'idle';
    path.watch = 'none';
    if (!path.service.wanted) {
      // Retired: no re-arm, and what we had is now stale.
      path.children = undefined;
      return;
    }
    this.arm(path);
  };

  /** Reads the children with a watch; one request per path at a time, only while connected. */
  private arm(path: WatchedPath): void {
    if (path.state === 'arming') {
      path.rearmPending = true;
      return;
    }
    const client = this.client;
    path.state = 'idle';
    if (!this.isLive || client === undefined) {
      return; // onConnected re-arms idle paths
    }
    this.clearRetry(path);
    path.state = 'arming';
    path.rearmPending = false;
    const seq = ++path.seq;
    path.getChildrenCalls++;
    this.counters.getChildren++;
    request<string[]>(`getChildren(${path.path})`, this.options.requestTimeoutMs, (cb) => client.getChildren(path.path, path.watcher, cb)).then(
      (children) => {
        if (seq !== path.seq) {
          return;
        }
        path.state = 'armed';
        path.watch = 'children';
        path.retryDelayMs = 0;
        path.children = children ?? [];
        if (path.rearmPending) {
          path.rearmPending = false;
          this.arm(path);
        }
        this.publish(path.service);
      },
      (error: unknown) => {
        if (seq !== path.seq) {
          return;
        }
        if (zkCode(error) === ZK.NO_NODE) {
          this.armExists(path, client);
          return;
        }
        this.onReadFailed(path, client, error);
      },
    );
  }

  /** The path does not exist: wait for its creation with an existence watch (same function). */
  private armExists(path: WatchedPath, client: ZkClient): void {
    if (client !== this.client || !this.isLive) {
      path.state = 'idle';
      return;
    }
    const seq = ++path.seq;
    path.state = 'arming';
    path.existsCalls++;
    this.counters.exists++;
    request<ZkStat | null>(`exists(${path.path})`, this.options.requestTimeoutMs, (cb) => client.exists(path.path, path.watcher, cb)).then(
      (stat) => {
        if (seq !== path.seq) {
          return;
        }
        if (stat) {
          // Created in between: read it (the data watch just set uses the same function).
          path.state = 'idle';
          this.arm(path);
          return;
        }
        path.state = 'armed';
        path.watch = 'exists';
        path.retryDelayMs = 0;
        path.children = [];
        if (path.rearmPending) {
          path.rearmPending = false;
          this.arm(path);
        }
        this.publish(path.service);
      },
      (error: unknown) => {
        if (seq === path.seq) {
          this.onReadFailed(path, client, error);
        }
      },
    );
  }

  private onReadFailed(path: WatchedPath, client: ZkClient, error: unknown): void {
    path.state = 'idle';
    path.watch = 'none';
    const code = zkCode(error);
    if (code === ZK.NO_AUTH) {
      path.denied = new RegistryError(
        `ZooKeeper refused to list ${path.path} (NO_AUTH): the node's ACL needs other credentials; ` +
          "set registry.auth to the providers' digest credentials 'user:password'",
        { cause: error, context: { service: path.service.iface, address: this.options.address } },
      );
      this.logger.error(path.denied.message);
      this.failWaiters(path.service, path.denied);
      return;
    }
    if (error instanceof ZkTimeoutError) {
      this.counters.timeouts++;
      this.logger.warn(`${error.message}; will read ${path.path} again after reconnecting`);
      this.forceReconnect(client);
      return;
    }
    if (client !== this.client || !this.isLive) {
      return; // re-armed by onConnected (same session) or by the new client
    }
    // Still connected but failed: retry later on one timer per path, with a growing delay.
    path.retryDelayMs = Math.min(path.retryDelayMs === 0 ? this.options.retryDelayMs : path.retryDelayMs * 2, this.options.maxRetryDelayMs);
    this.logger.warn(`reading ${path.path} failed (${(error as Error).message}); retrying in ${path.retryDelayMs} ms`);
    this.clearRetry(path);
    path.retryTimer = setTimeout(() => {
      path.retryTimer = undefined;
      if (path.state === 'idle' && path.service.wanted) {
        this.arm(path);
      }
    }, path.retryDelayMs);
    path.retryTimer.unref();
  }

  private clearRetry(path: WatchedPath): void {
    if (path.retryTimer !== undefined) {
      clearTimeout(path.retryTimer);
      path.retryTimer = undefined;
    }
  }

  // ---------------------------------------------------------------- subscriptions

  private serviceFor(iface: string): ServiceSubscription {
    let service = this.services.get(iface);
    if (service === undefined) {
      service = new ServiceSubscription(iface, `${this.options.rootPath}/${encodeNodeName(iface)}`, this.onWatchEvent);
      this.services.set(iface, service);
    }
    return service;
  }

  subscribe(key: ServiceKey, listener: ProviderListener): Promise<() => void> {
    if (this.isClosing) {
      return Promise.reject(new RegistryError('The registry is closed'));
    }
    if (typeof key?.interface !== 'string' || key.interface.trim() === '' || key.interface.includes('/')) {
      return Promise.reject(new DubboConfigError('service', `must be a Java interface name, got '${String(key?.interface)}'`));
    }
    if (typeof listener !== 'function') {
      return Promise.reject(new DubboConfigError('listener', 'must be a function'));
    }
    const service = this.serviceFor(key.interface.trim());
    const entry: ListenerEntry = { key: { ...key, interface: service.iface }, listener, signature: undefined };
    const unsubscribe = (): void => {
      service.listeners.delete(entry);
    };
    const ready = service.providers.children !== undefined && service.configurators.children !== undefined;
    if (ready) {
      // Warm: deliver from memory, no ZooKeeper request.
      service.listeners.add(entry);
      this.deliver(service, entry, this.computeProviders(service));
      return Promise.resolve(unsubscribe);
    }
    return new Promise<() => void>((resolve, reject) => {
      service.waiters.push({ entry, resolve: () => resolve(unsubscribe), reject });
      this.armDeadline(service);
      for (const path of service.paths) {
        path.denied = undefined;
        if (path.state === 'idle') {
          this.arm(path);
        }
      }
    });
  }

  /** One timer per service bounds the wait of every pending first listing. */
  private armDeadline(service: ServiceSubscription): void {
    if (service.deadline !== undefined) {
      return;
    }
    // Room for one read that times out and is retried after a reconnect.
    const ms = (this.isLive ? 0 : this.options.connectTimeoutMs) + this.options.requestTimeoutMs * 2;
    service.deadline = setTimeout(() => {
      service.deadline = undefined;
      const never = this.sessions.size === 0;
      const message = `No provider listing for ${service.iface} from ZooKeeper at ${this.options.address} within ${ms} ms (registry ${this.statusMachine.value})`;
      this.failWaiters(
        service,
        never
          ? new RegistryConnectionError(message, { cause: this.lastConnectError, context: { service: service.iface, address: this.options.address } })
          : new RegistryError(message, { context: { service: service.iface, address: this.options.address } }),
      );
    }, ms);
    service.deadline.unref();
  }

  private failWaiters(service: ServiceSubscription, error: Error): void {
    const waiters = service.waiters;
    service.waiters = [];
    if (service.deadline !== undefined) {
      clearTimeout(service.deadline);
      service.deadline = undefined;
    }
    for (const waiter of waiters) {
      waiter.reject(error);
    }
  }

  /** Recomputes the provider list of a service after either path changed, and tells listeners. */
  private publish(service: ServiceSubscription): void {
    if (service.providers.children === undefined || service.configurators.children === undefined) {
      return;
    }
    const providers = this.computeProviders(service);
    for (const entry of [...service.listeners]) {
      this.deliver(service, entry, providers);
    }
    const waiters = service.waiters;
    if (waiters.length > 0) {
      service.waiters = [];
      if (service.deadline !== undefined) {
        clearTimeout(service.deadline);
        service.deadline = undefined;
      }
      for (const waiter of waiters) {
        service.listeners.add(waiter.entry);
        this.deliver(service, waiter.entry, providers);
        waiter.resolve();
      }
    }
  }

  private deliver(service: ServiceSubscription, entry: ListenerEntry, all: { providers: ProviderUrl[]; rules: string }): void {
    const matching = all.providers.filter((p) => matchesKey(entry.key, p.group, p.version));
    const signature = `${all.rules}\n${matching.map((p) => p.raw).join('\n')}`;
    if (signature === entry.signature) {
      return;
    }
    entry.signature = signature;
    try {
      entry.listener(Object.freeze(matching));
    } catch (err) {
      this.logger.error(`a provider listener of ${service.iface} threw: ${(err as Error).message}`);
    }
  }

  private computeProviders(service: ServiceSubscription): { providers: ProviderUrl[]; rules: string } {
    const configuratorNames = service.configurators.children ?? [];
    const verdicts = configuratorNames.map((name) => this.classifyOnce(service.configuratorNodes, name, service, 'configurators', () => parseConfiguratorNode(name)));
    prune(service.configuratorNodes, configuratorNames);
    const rules = orderConfigurators(verdicts);
    const consumer: ConsumerIdentity = { host: this.consumerHost(), application: this.options.application };
    const providerNames = [...(service.providers.children ?? [])].sort();
    const providers: ProviderUrl[] = [];
    for (const name of providerNames) {
      const verdict = this.classifyOnce(service.providerNodes, name, service, 'providers', () => classifyProviderNode(name, service.iface));
      if (verdict.kind !== 'provider' || verdict.url.params['enabled'] === 'false') {
        continue;
      }
      const params = applyConfigurators(verdict.url, rules, consumer);
      if (isDisabled(params)) {
        continue;
      }
      providers.push(toProviderUrl(verdict.url, verdict.raw, params));
    }
    prune(service.providerNodes, providerNames);
    return { providers, rules: rules.map((r) => r.raw).join('\n') };
  }

  /**
   * Why nothing matches `key`: the versions and groups registered instead (from the listing held in
   * memory), else whether `/dubbo/mapping/<interface>` names applications that register this
   * interface at application level only (one read, no watch, bounded by requestTimeoutMs).
   */
  async describeAbsence(key: ServiceKey): Promise<string | undefined> {
    const iface = key.interface.trim();
    const service = this.services.get(iface);
    const names = service?.providers.children ?? [];
    const verdicts = names.map((name) => service!.providerNodes.get(name) ?? classifyProviderNode(name, iface));
    const registered = describeRegistered(verdicts, key);
    if (registered !== undefined || names.length > 0) {
      return registered;
    }
    const client = this.client;
    if (client?.getData === undefined || !this.isLive) {
      return undefined;
    }
    const path = `${this.options.rootPath}/mapping/${encodeNodeName(iface)}`;
    this.counters.absenceReads++;
    try {
      const data = await request<Buffer | null | undefined>(`getData(${path})`, this.options.requestTimeoutMs, (cb) => client.getData!(path, cb));
      const apps = (data?.toString('utf8') ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
      return `registered at application level only (${path}: ${apps.length > 0 ? apps.join(', ') : 'no application'}); this client discovers interface-level providers under ${this.options.rootPath}/${encodeNodeName(iface)}/providers`;
    } catch {
      // No mapping node (the usual case), or no answer: nothing to add to the error.
      return undefined;
    }
  }

  private classifyOnce<V extends { kind: string; reason?: string }>(
    cache: Map<string, V>,
    name: string,
    service: ServiceSubscription,
    category: Category,
    classify: () => V,
  ): V {
    let verdict = cache.get(name);
    if (verdict === undefined) {
      verdict = classify();
      cache.set(name, verdict);
      if (verdict.kind === 'malformed') {
        this.logger.warn(`skipping malformed node under ${service.iface}/${category}: ${verdict.reason ?? ''} (node '${name}')`);
      }
    }
    return verdict;
  }

  // ---------------------------------------------------------------- consumer registration

  register(consumer: ConsumerRegistration): Promise<void> {
    if (this.isClosing) {
      return Promise.reject(new RegistryError('The registry is closed'));
    }
    if (typeof consumer?.interface !== 'string' || consumer.interface.trim() === '' || consumer.interface.includes('/')) {
      return Promise.reject(new DubboConfigError('service', `must be a Java interface name, got '${String(consumer?.interface)}'`));
    }
    const key = serviceKeyString(consumer);
    let entry = this.consumers.get(key);
    if (entry === undefined) {
      entry = { key, registration: { ...consumer }, nodePath: undefined, state: 'pending', session: undefined, waiters: [], retryTimer: undefined };
      this.consumers.set(key, entry);
    }
    if (entry.state === 'created') {
      return Promise.resolve();
    }
    const target = entry;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          target.waiters = target.waiters.filter((w) => w !== waiter);
          reject(new RegistryError(`Consumer node for ${key} not created within the timeout (registry ${this.statusMachine.value}); it will be created once connected`));
        },
        this.isLive ? this.options.requestTimeoutMs * 3 : this.options.connectTimeoutMs + this.options.requestTimeoutMs * 3,
      );
      timer.unref();
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      target.waiters.push(waiter);
      if (target.state === 'pending' && this.isLive) {
        void this.createConsumerNode(target);
      }
    });
  }

  async unregister(consumer: ConsumerRegistration): Promise<void> {
    const key = serviceKeyString(consumer);
    const entry = this.consumers.get(key);
    if (entry === undefined) {
      return;
    }
    this.consumers.delete(key);
    this.clearConsumerRetry(entry);
    for (const waiter of entry.waiters.splice(0)) {
      waiter.reject(new RegistryError(`Consumer ${key} was unregistered before its node was created`));
    }
    await this.removeConsumerNode(entry);
  }

  /** Deletes our node if this session created it; a node of a dead session is gone already. */
  private async removeConsumerNode(entry: ConsumerEntry, live = this.isLive): Promise<void> {
    const client = this.client;
    const wasCreated = entry.state === 'created' && entry.session === this.session;
    entry.state = 'pending';
    if (!wasCreated || entry.nodePath === undefined || client === undefined || !live) {
      return;
    }
    const nodePath = entry.nodePath;
    try {
      await request<void>(`delete(${nodePath})`, this.options.requestTimeoutMs, (cb) => client.remove(nodePath, -1, cb));
    } catch (err) {
      if (zkCode(err) !== ZK.NO_NODE) {
        this.logger.warn(`could not delete consumer node ${nodePath}: ${(err as Error).message}`);
      }
    }
  }

  private clearConsumerRetry(entry: ConsumerEntry): void {
    if (entry.retryTimer !== undefined) {
      clearTimeout(entry.retryTimer);
      entry.retryTimer = undefined;
    }
  }

  private consumerNodePath(registration: ConsumerRegistration): string {
    const iface = registration.interface.trim();
    const params: Record<string, string> = {
      ...registration.params,
      application: this.options.application,
      category: 'consumers',
      check: 'false',
      dubbo: DUBBO_PROTOCOL_VERSION,
      generic: 'true',
      interface: iface,
      pid: String(process.pid),
      side: 'consumer',
      // Fixed per registry, so every session writes the same node name (never one per call).
      timestamp: String(this.startedAt),
    };
    const version = normalizeVersion(registration.version);
    const group = normalizeGroup(registration.group);
    if (version !== '') {
      params['version'] = version;
    }
    if (group !== '') {
      params['group'] = group;
    }
    const url = formatUrl({ protocol: 'consumer', host: this.consumerHost(), port: 0, path: iface, params });
    return `${this.options.rootPath}/${encodeNodeName(iface)}/consumers/${encodeNodeName(url)}`;
  }

  private consumerHostValue: string | undefined;

  /** The address other tools see for this consumer: the local side of the ZooKeeper connection. */
  private consumerHost(): string {
    if (this.options.consumerHost !== undefined) {
      return this.options.consumerHost;
    }
    if (this.consumerHostValue === undefined) {
      const local = this.client?.connectionManager?.socket?.localAddress;
      if (local !== undefined && local !== '' && this.isLive) {
        this.consumerHostValue = local.startsWith('::ffff:') ? local.slice(7) : local;
      } else {
        return firstExternalIPv4() ?? hostname();
      }
    }
    return this.consumerHostValue;
  }

  private async createConsumerNode(entry: ConsumerEntry): Promise<void> {
    const client = this.client;
    const session = this.session;
    if (client === undefined || session === undefined || !this.isLive || entry.state === 'creating') {
      return;
    }
    this.clearConsumerRetry(entry);
    entry.state = 'creating';
    entry.nodePath ??= this.consumerNodePath(entry.registration);
    const nodePath = entry.nodePath;
    const acl = this.options.auth !== undefined ? ACL_CREATOR_ALL : ACL_OPEN;
    const create = (): Promise<string> =>
      request<string>(`create(${nodePath})`, this.options.requestTimeoutMs, (cb) => client.create(nodePath, undefined, acl, ZK.EPHEMERAL, cb));
    try {
      try {
        await create();
      } catch (err) {
        const code = zkCode(err);
        if (code === ZK.NO_NODE) {
          await this.createParents(client, nodePath, acl);
          await create();
        } else if (code === ZK.NODE_EXISTS) {
          await this.takeOverNode(client, nodePath, session, create);
        } else {
          throw err;
        }
      }
      if (this.consumers.get(entry.key) !== entry || client !== this.client) {
        // Unregistered or session replaced meanwhile: this node must not stay.
        if (this.consumers.get(entry.key) !== entry && client === this.client && this.isLive) {
          await request<void>(`delete(${nodePath})`, this.options.requestTimeoutMs, (cb) => client.remove(nodePath, -1, cb)).catch(() => undefined);
        }
        return;
      }
      entry.state = 'created';
      entry.session = session;
      this.counters.consumerCreations++;
      for (const waiter of entry.waiters.splice(0)) {
        waiter.resolve();
      }
    } catch (err) {
      if (this.consumers.get(entry.key) !== entry || client !== this.client) {
        return;
      }
      entry.state = 'pending';
      if (err instanceof ZkTimeoutError) {
        this.counters.timeouts++;
        this.forceReconnect(client);
        return;
      }
      const code = zkCode(err);
      if (code === ZK.NO_AUTH) {
        const error = new RegistryError(`ZooKeeper refused to create consumer node under ${nodePath.slice(0, nodePath.lastIndexOf('/'))} (NO_AUTH); check registry.auth`, {
          cause: err,
          context: { service: entry.registration.interface },
        });
        this.logger.error(error.message);
        for (const waiter of entry.waiters.splice(0)) {
          waiter.reject(error);
        }
        return;
      }
      if (this.isLive) {
        this.logger.warn(`creating consumer node for ${entry.key} failed (${(err as Error).message}); retrying`);
        entry.retryTimer = setTimeout(() => {
          entry.retryTimer = undefined;
          void this.createConsumerNode(entry);
        }, this.options.retryDelayMs);
        entry.retryTimer.unref();
      }
    }
  }

  /** Creates missing persistent parents of a node, one request at a time. */
  private async createParents(client: ZkClient, nodePath: string, acl: unknown[]): Promise<void> {
    const parts = nodePath.split('/').slice(1, -1);
    let current = '';
    for (const part of parts) {
      current += `/${part}`;
      const dir = current;
      try {
        await request<string>(`create(${dir})`, this.options.requestTimeoutMs, (cb) => client.create(dir, undefined, acl, ZK.PERSISTENT, cb));
      } catch (err) {
        if (zkCode(err) !== ZK.NODE_EXISTS) {
          throw err;
        }
      }
    }
  }

  /** Our node name exists: keep it if this session owns it, else replace the leftover of an old session. */
  private async takeOverNode(client: ZkClient, nodePath: string, session: string, create: () => Promise<string>): Promise<void> {
    const stat = await request<ZkStat | null>(`exists(${nodePath})`, this.options.requestTimeoutMs, (cb) => client.exists(nodePath, undefined, cb));
    if (stat && sessionHex(stat.ephemeralOwner) === session) {
      return;
    }
    if (stat) {
      await request<void>(`delete(${nodePath})`, this.options.requestTimeoutMs, (cb) => client.remove(nodePath, -1, cb)).catch((err: unknown) => {
        if (zkCode(err) !== ZK.NO_NODE) {
          throw err;
        }
      });
    }
    await create();
  }

  // ---------------------------------------------------------------- stats and close

  stats(): RegistryStats {
    const wm = this.client?.connectionManager?.watcherManager;
    const count = (map: Record<string, { listenerCount(e: string): number }> | undefined, path: string): number =>
      map?.[path]?.listenerCount('notification') ?? 0;
    let clientWatcherFunctions = 0;
    let maxPerPath = 0;
    for (const map of [wm?.childWatchers, wm?.dataWatchers, wm?.existenceWatchers]) {
      for (const path of Object.keys(map ?? {})) {
        const n = count(map, path);
        clientWatcherFunctions += n;
        maxPerPath = Math.max(maxPerPath, n);
      }
    }
    const paths: Record<string, PathStats> = {};
    let pathsWatched = 0;
    let listeners = 0;
    for (const service of this.services.values()) {
      listeners += service.listeners.size;
      for (const path of service.paths) {
        if (path.state === 'armed') {
          pathsWatched++;
        }
        paths[path.path] = {
          state: path.state,
          watch: path.watch,
          getChildrenCalls: path.getChildrenCalls,
          existsCalls: path.existsCalls,
          events: path.events,
          clientWatcherFunctions: count(wm?.childWatchers, path.path) + count(wm?.dataWatchers, path.path) + count(wm?.existenceWatchers, path.path),
          children: path.children?.length ?? 0,
        };
      }
    }
    let consumerNodes = 0;
    for (const consumer of this.consumers.values()) {
      if (consumer.state === 'created' && consumer.session === this.session) {
        consumerNodes++;
      }
    }
    return {
      status: this.statusMachine.value,
      clientsCreated: this.counters.clientsCreated,
      sessionsSeen: this.sessions.size,
      sessionId: this.session,
      services: this.services.size,
      listeners,
      pathsWatched,
      pathsKnown: Object.keys(paths).length,
      paths,
      clientWatcherFunctions,
      maxWatcherFunctionsPerPath: maxPerPath,
      getChildrenCalls: this.counters.getChildren,
      existsCalls: this.counters.exists,
      events: this.counters.events,
      requestTimeouts: this.counters.timeouts,
      absenceReads: this.counters.absenceReads,
      consumerNodes,
      consumerNodeCreations: this.counters.consumerCreations,
      clientQueueLength: this.client?.connectionManager?.packetQueue?.queue?.length ?? 0,
    };
  }

  close(): Promise<void> {
    this.closePromise ??= this.doClose();
    return this.closePromise;
  }

  private async doClose(): Promise<void> {
    const wasLive = this.isLive;
    this.setStatus('closing');
    this.clearDisconnectTimer();
    const closed = new RegistryError('The registry was closed');
    for (const waiter of [...this.connectWaiters]) {
      waiter.reject(closed);
    }
    for (const service of this.services.values()) {
      for (const path of service.paths) {
        this.resetPath(path, false);
      }
      this.failWaiters(service, closed);
      service.listeners.clear();
    }
    const consumers = [...this.consumers.values()];
    this.consumers.clear();
    for (const consumer of consumers) {
      this.clearConsumerRetry(consumer);
      for (const waiter of consumer.waiters.splice(0)) {
        waiter.reject(closed);
      }
    }
    const client = this.client;
    if (client !== undefined) {
      // Remove our consumer nodes explicitly (closing the session would too; this is deterministic).
      await Promise.all(consumers.map((c) => this.removeConsumerNode(c, wasLive)));
      this.client = undefined;
      await this.closeClient(client);
    }
    this.session = undefined;
    this.setStatus('closed');
    this.statusMachine.clearListeners();
  }

  /** Closes the session and waits (bounded) until the client reports CLOSED. */
  private async closeClient(client: ZkClient): Promise<void> {
    const manager = client.connectionManager;
    const done =
      manager?.on === undefined || manager.state === ZK.STATE_CLOSED
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const onState = (state: number): void => {
              if (state === ZK.STATE_CLOSED) {
                finish();
              }
            };
            const timer = setTimeout(() => {
              // Still not closed (e.g. between two connection attempts): drop the socket ourselves.
              manager.socket?.destroy();
              finish();
            }, this.options.requestTimeoutMs);
            timer.unref();
            const finish = (): void => {
              clearTimeout(timer);
              manager.removeListener?.('state', onState);
              resolve();
            };
            manager.on?.('state', onState);
          });
    this.discardClient(client);
    await done;
  }
}

function prune<V>(cache: Map<string, V>, current: readonly string[]): void {
  if (cache.size <= current.length) {
    return;
  }
  const keep = new Set(current);
  for (const name of cache.keys()) {
    if (!keep.has(name)) {
      cache.delete(name);
    }
  }
}

function firstExternalIPv4(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) {
        return address.address;
      }
    }
  }
  return undefined;
}
