/**
 * The registry's exact counters, assembled from its parts and from what the ZooKeeper client holds
 * (watcher functions per path, queued requests).
 */
import { type PathStats, type RegistryStats, type RegistryStatus } from '../registry.interface.js';
import { type ServiceSubscription } from './service-subscription.js';
import { type ZkEmitterLike, type ZkInternals } from './zk-client.js';

export interface StatsSources {
  readonly status: RegistryStatus;
  /** The current client's internals, when there is a client. */
  readonly client: ZkInternals | undefined;
  readonly session: {
    readonly clientsCreated: number;
    readonly sessionsSeen: number;
    readonly sessionId: string | undefined;
    readonly requestTimeouts: number;
  };
  readonly services: Iterable<ServiceSubscription>;
  readonly absenceReads: number;
  readonly consumerNodes: number;
  readonly consumerNodeCreations: number;
}

type WatcherMap = Record<string, ZkEmitterLike> | undefined;

export function registryStats(sources: StatsSources): RegistryStats {
  const wm = sources.client?.watcherManager;
  const kinds: WatcherMap[] = [wm?.childWatchers, wm?.dataWatchers, wm?.existenceWatchers];
  const count = (map: WatcherMap, path: string): number => map?.[path]?.listenerCount('notification') ?? 0;
  let clientWatcherFunctions = 0;
  let maxPerPath = 0;
  for (const map of kinds) {
    for (const path of Object.keys(map ?? {})) {
      const n = count(map, path);
      clientWatcherFunctions += n;
      maxPerPath = Math.max(maxPerPath, n);
    }
  }
  const paths: Record<string, PathStats> = {};
  let services = 0;
  let pathsWatched = 0;
  let listeners = 0;
  let getChildrenCalls = 0;
  let existsCalls = 0;
  let events = 0;
  for (const service of sources.services) {
    services++;
    listeners += service.listenerCount;
    for (const path of service.paths) {
      const line = path.stats(kinds.reduce((sum, map) => sum + count(map, path.path), 0));
      if (line.state === 'armed') {
        pathsWatched++;
      }
      getChildrenCalls += line.getChildrenCalls;
      existsCalls += line.existsCalls;
      events += line.events;
      paths[path.path] = line;
    }
  }
  return {
    status: sources.status,
    clientsCreated: sources.session.clientsCreated,
    sessionsSeen: sources.session.sessionsSeen,
    sessionId: sources.session.sessionId,
    services,
    listeners,
    pathsWatched,
    pathsKnown: Object.keys(paths).length,
    paths,
    clientWatcherFunctions,
    maxWatcherFunctionsPerPath: maxPerPath,
    getChildrenCalls,
    existsCalls,
    events,
    requestTimeouts: sources.session.requestTimeouts,
    absenceReads: sources.absenceReads,
    consumerNodes: sources.consumerNodes,
    consumerNodeCreations: sources.consumerNodeCreations,
    clientQueueLength: sources.client?.packetQueue?.queue?.length ?? 0,
  };
}
