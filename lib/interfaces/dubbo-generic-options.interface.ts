import { type DubboLogger } from '../logging/logger.js';

/**
 * ZooKeeper discovery, the way Dubbo providers register (`/dubbo/<interface>/providers`).
 * @publicApi
 */
export interface ZookeeperRegistryOptions {
  /** Connect string: one or more `host:port`, comma separated, optionally with a chroot (`h1:2181,h2:2181/chroot`). */
  address: string;
  /** Root of Dubbo's tree. @default '/dubbo' */
  rootPath?: string;
  /** ZooKeeper session timeout asked for. @default 60000 */
  sessionTimeoutMs?: number;
  /** How long start-up waits for the first ZooKeeper connection. @default 10000 */
  connectTimeoutMs?: number;
  /** Timeout of each ZooKeeper request. @default 10000 */
  requestTimeoutMs?: number;
  /** Digest credentials `user:password`, for trees created with ACLs (Dubbo ≥ 3.0.11 with a username). */
  auth?: string;
  /** Register this consumer under `/dubbo/<interface>/consumers`, as Java consumers do. @default true */
  register?: boolean;
}

/**
 * No registry: a fixed list of providers (`dubbo://host:port`), used for every service.
 * @publicApi
 */
export interface DirectRegistryOptions {
  direct: string[];
}

/** @publicApi */
export type ClusterMode = 'failover' | 'failfast' | 'failsafe';
/** @publicApi */
export type LoadBalanceMode = 'random' | 'roundrobin' | 'leastactive' | 'shortestresponse';

/**
 * Per-call defaults; every one can be overridden per reference and per call.
 * @publicApi
 */
export interface CallDefaults {
  /** Deadline of one attempt. @default 3000 */
  timeoutMs?: number;
  /** Extra attempts on other providers after a non-business failure (failover only). @default 2 */
  retries?: number;
  /** @default 'failover' */
  cluster?: ClusterMode;
  /** @default 'random' */
  loadbalance?: LoadBalanceMode;
}

/**
 * A reference declared up front: warmed (subscribed, connected) when the application boots.
 * @publicApi
 */
export interface ReferenceDeclaration extends CallDefaults {
  service: string;
  version?: string;
  group?: string;
  /** Fail start-up with NoProviderError when the service has no provider. @default false */
  check?: boolean;
}

/**
 * Options of DubboGenericModule.forRoot / forRootAsync.
 * @publicApi
 */
export interface DubboGenericModuleOptions {
  /** Consumer application name, registered in ZooKeeper and sent as `remote.application`. */
  application: string;
  registry: ZookeeperRegistryOptions | DirectRegistryOptions;
  defaults?: CallDefaults;
  references?: ReferenceDeclaration[];
  /**
   * What start-up does when the registry cannot be reached within `connectTimeoutMs`:
   * 'fail' rejects start-up with RegistryConnectionError; 'background' starts anyway and keeps
   * connecting (calls answer NoProviderError until it is connected). @default 'fail'
   */
  onRegistryUnavailable?: 'fail' | 'background';
  /** How long shutdown waits for in-flight calls. @default 10000 */
  shutdownTimeoutMs?: number;
  /** Release a reference's subscription and connections after this long unused; 0 = never. @default 0 */
  referenceIdleMs?: number;
  /** Largest response body accepted, in bytes. @default 8388608 (8 MiB, as Dubbo) */
  maxPayloadBytes?: number;
  /** Connections per provider address, shared by every service on it. @default 1 */
  connections?: number;
  /** Connect timeout to a provider. @default 3000 */
  connectTimeoutMs?: number;
  /** Heartbeat after this long without reads; the connection closes after 3 missed. @default 60000 */
  heartbeatIntervalMs?: number;
  /** Calls in flight per connection before new calls fail fast. @default 10000 */
  maxInFlightPerConnection?: number;
  /**
   * Distinct interfaces this client will subscribe to. Each is watched in ZooKeeper for the life of
   * the process, and callers (a gateway forwarding JSON) choose the names: past the bound a call to a
   * new interface fails with LimitExceededError instead of growing memory. @default 4096
   */
  maxServices?: number;
  /**
   * References (group/interface:version) alive at once; past it a call to a new one fails with
   * LimitExceededError (referenceIdleMs releases unused ones). @default 4096
   */
  maxReferences?: number;
  /** A logger, or false for none. @default Nest's Logger with context 'DubboGenericModule' */
  logger?: DubboLogger | false;
}

/**
 * A class that builds the options, for forRootAsync({ useClass }) / ({ useExisting }).
 * @publicApi
 */
export interface DubboGenericOptionsFactory {
  createDubboGenericOptions(): DubboGenericModuleOptions | Promise<DubboGenericModuleOptions>;
}
