// Status and counters: plain data, reachable from the package's public types.
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
