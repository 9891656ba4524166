import { type ProviderUrl, type ServiceKey } from './provider-url.js';

/**
 * Lifecycle of a registry.
 * - `idle`: created, connect() not called yet.
 * - `connecting`: waiting for the first session.
 * - `connected`: a live session; watches are armed.
 * - `disconnected`: connection lost; the client reconnects by itself within the same session and
 *   listeners keep the last known providers.
 * - `expired-recovering`: the session is gone; a new one is being opened and everything re-armed.
 * - `closing` / `closed`: close() was called.
 * @publicApi
 */
export type RegistryStatus = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'expired-recovering' | 'closing' | 'closed';

/**
 * Receives the whole current list of matching, enabled providers (configurators applied) after
 * every change. An empty list means "no provider"; it is never sent because the registry is down.
 * @publicApi
 */
export type ProviderListener = (providers: readonly ProviderUrl[]) => void;

/**
 * What a consumer registers under `/dubbo/<interface>/consumers`, so ops tools see it.
 * @publicApi
 */
export interface ConsumerRegistration extends ServiceKey {
  /** Extra URL parameters (e.g. timeout, retries, loadbalance). */
  params?: Record<string, string>;
}

/**
 * Exact counters, for tests, metrics and the leak benchmark.
 * @publicApi
 */
export interface RegistryStats {
  status: RegistryStatus;
  /** Registry clients created so far: 1, plus one per session expiry. */
  clientsCreated: number;
  /** Distinct session ids seen. */
  sessionsSeen: number;
  /** Hex id of the current session, when connected. */
  sessionId: string | undefined;
  /** Interfaces subscribed (each with its providers and configurators paths). */
  services: number;
  /** Listener functions registered through subscribe(). */
  listeners: number;
  /** Paths with a watch currently armed. */
  pathsWatched: number;
  /** Paths known (armed or not): at most services × categories. */
  pathsKnown: number;
  /** Per path: state, watch requests made, events received, watcher functions the client holds. */
  paths: Record<string, PathStats>;
  /** Watcher functions held by the ZooKeeper client, all paths and kinds together. */
  clientWatcherFunctions: number;
  /** Largest number of watcher functions the client holds for one path (must be ≤ 1). */
  maxWatcherFunctionsPerPath: number;
  /** getChildren-with-watch requests, all paths. */
  getChildrenCalls: number;
  /** exists-with-watch requests (paths that do not exist yet). */
  existsCalls: number;
  /** Watch events received, all paths. */
  events: number;
  /** Requests that hit requestTimeoutMs. */
  requestTimeouts: number;
  /** Reads made to explain a NoProviderError (`/dubbo/mapping/<interface>`, no watch). */
  absenceReads: number;
  /** Consumer nodes currently created in ZooKeeper. */
  consumerNodes: number;
  /** Consumer node creations, all sessions. */
  consumerNodeCreations: number;
  /** Requests waiting inside the ZooKeeper client for a connection (bounded by the number of paths). */
  clientQueueLength: number;
}

/** @publicApi */
export interface PathStats {
  state: 'idle' | 'arming' | 'armed';
  /** Whether the watch is a child watch (node exists) or an existence watch (node missing). */
  watch: 'children' | 'exists' | 'none';
  getChildrenCalls: number;
  existsCalls: number;
  events: number;
  /** Watcher functions the ZooKeeper client holds for this path (child + data + existence). */
  clientWatcherFunctions: number;
  children: number;
}

/**
 * Service discovery as the rest of the library sees it.
 * @publicApi
 */
export interface Registry {
  readonly status: RegistryStatus;
  /** Opens the session; rejects with RegistryConnectionError after the connect timeout. */
  connect(): Promise<void>;
  /**
   * Calls `listener` with the providers of `key` now and after every change. Resolves, with the
   * unsubscribe function, once the first list has been delivered. Any number of calls for the same
   * interface share one watch per path.
   */
  subscribe(key: ServiceKey, listener: ProviderListener): Promise<() => void>;
  /**
   * For a NoProviderError, on the cold path only: what is registered for `key`'s interface when
   * nothing matches it (other versions or groups, application-level registration only). Reads at
   * most one node, without a watch; resolves undefined when there is nothing to add.
   */
  describeAbsence?(key: ServiceKey): Promise<string | undefined>;
  /** Registers this consumer (one node per interface/group/version; idempotent). */
  register(consumer: ConsumerRegistration): Promise<void>;
  unregister(consumer: ConsumerRegistration): Promise<void>;
  /** Subscribe to status changes; returns the function that unsubscribes. */
  onStatus(listener: (status: RegistryStatus, previous: RegistryStatus) => void): () => void;
  stats(): RegistryStats;
  close(): Promise<void>;
}
