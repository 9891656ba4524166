/**
 * Everything known about one interface: its two watched paths, shared by every listener whatever
 * group/version it asks for (filtering happens in memory), the first-listing waiters and their one
 * deadline, and the delivery of each new list to the listeners it changes.
 */
import { type ConfiguratorVerdict, type ConsumerIdentity } from '../configurators.js';
import { type ProviderNodeVerdict } from '../provider-url.js';
import { matchesKey, type ServiceKey } from '../service-key.js';
import { type ProviderListener } from '../registry.interface.js';
import { type ResolvedZookeeperConfig } from './config.js';
import { computeProviders, type NodeVerdicts, type ProviderList } from './provider-list.js';
import { type PathOwner, WatchedPath } from './watched-path.js';
import { type ZkContext } from './zk-context.js';

interface ListenerEntry {
  readonly key: ServiceKey;
  readonly listener: ProviderListener;
  /** What it was last told (rules and matching providers), so an unchanged list is not sent again. */
  signature: string | undefined;
}

interface Waiter {
  entry: ListenerEntry;
  resolve: () => void;
  reject: (error: Error) => void;
}

export type SubscriptionConfig = Pick<
  ResolvedZookeeperConfig,
  'address' | 'connectTimeoutMs' | 'requestTimeoutMs' | 'retryDelayMs' | 'maxRetryDelayMs'
>;

export class ServiceSubscription implements PathOwner {
  private readonly listeners = new Set<ListenerEntry>();
  readonly providers: WatchedPath;
  readonly configurators: WatchedPath;
  /** Parse results per node name, so each malformed node is warned about once. */
  readonly verdicts: NodeVerdicts = {
    providers: new Map<string, ProviderNodeVerdict>(),
    configurators: new Map<string, ConfiguratorVerdict>(),
  };
  private waiters: Waiter[] = [];
  private deadline: NodeJS.Timeout | undefined;

  constructor(
    readonly iface: string,
    base: string,
    private readonly zk: ZkContext,
    private readonly config: SubscriptionConfig,
    private readonly consumer: () => ConsumerIdentity,
  ) {
    this.providers = new WatchedPath(`${base}/providers`, this, zk, config);
    this.configurators = new WatchedPath(`${base}/configurators`, this, zk, config);
  }

  get wanted(): boolean {
    return this.listeners.size > 0 || this.waiters.length > 0;
  }

  get paths(): readonly [WatchedPath, WatchedPath] {
    return [this.providers, this.configurators];
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /**
   * Adds a listener; resolves with its unsubscribe function once it has had a first list (at once
   * from memory when both listings are known, else after reading them).
   */
  add(key: ServiceKey, listener: ProviderListener): Promise<() => void> {
    const entry: ListenerEntry = { key: { ...key, interface: this.iface }, listener, signature: undefined };
    const unsubscribe = (): void => {
      this.listeners.delete(entry);
    };
    if (this.providers.children !== undefined && this.configurators.children !== undefined) {
      // Warm: deliver from memory, no ZooKeeper request.
      this.listeners.add(entry);
      this.deliver(entry, this.compute());
      return Promise.resolve(unsubscribe);
    }
    return new Promise<() => void>((resolve, reject) => {
      this.waiters.push({ entry, resolve: () => resolve(unsubscribe), reject });
      this.armDeadline();
      for (const path of this.paths) {
        path.demand();
      }
    });
  }

  /** Connected: armed paths were restored by the client (SetWatches); only idle ones need work. */
  resume(): void {
    if (this.wanted) {
      for (const path of this.paths) {
        path.resume();
      }
    }
  }

  /** Session lost: both paths back to idle, keeping the last listing if someone uses it. */
  reset(): void {
    for (const path of this.paths) {
      path.reset(this.wanted);
    }
  }

  /** Closing: paths forgotten, waiters rejected with `error`, listeners dropped. */
  close(error: Error): void {
    for (const path of this.paths) {
      path.reset(false);
    }
    this.failWaiters(error);
    this.listeners.clear();
  }

  /** Recomputes the provider list after either path changed, and tells listeners. */
  publish(): void {
    if (this.providers.children === undefined || this.configurators.children === undefined) {
      return;
    }
    const providers = this.compute();
    for (const entry of [...this.listeners]) {
      this.deliver(entry, providers);
    }
    const waiters = this.waiters;
    if (waiters.length > 0) {
      this.waiters = [];
      this.clearDeadline();
      for (const waiter of waiters) {
        this.listeners.add(waiter.entry);
        this.deliver(waiter.entry, providers);
        waiter.resolve();
      }
    }
  }

  failWaiters(error: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    this.clearDeadline();
    for (const waiter of waiters) {
      waiter.reject(error);
    }
  }

  /** One timer per service bounds the wait of every pending first listing. */
  private armDeadline(): void {
    if (this.deadline !== undefined) {
      return;
    }
    // Room for one read that times out and is retried after a reconnect.
    const ms = (this.zk.isLive ? 0 : this.config.connectTimeoutMs) + this.config.requestTimeoutMs * 2;
    this.deadline = setTimeout(() => {
      this.deadline = undefined;
      this.failWaiters(
        this.zk.waitFailed(
          `No provider listing for ${this.iface} from ZooKeeper at ${this.config.address} within ${ms} ms (registry ${this.zk.status})`,
          this.iface,
        ),
      );
    }, ms);
    this.deadline.unref();
  }

  private clearDeadline(): void {
    if (this.deadline !== undefined) {
      clearTimeout(this.deadline);
      this.deadline = undefined;
    }
  }

  private compute(): ProviderList {
    return computeProviders(
      this.iface,
      this.providers.children ?? [],
      this.configurators.children ?? [],
      this.verdicts,
      this.consumer(),
      (message) => this.zk.logger.warn(message),
    );
  }

  private deliver(entry: ListenerEntry, all: ProviderList): void {
    const matching = all.providers.filter((p) => matchesKey(entry.key, p.group, p.version));
    const signature = `${all.rules}\n${matching.map((p) => p.raw).join('\n')}`;
    if (signature === entry.signature) {
      return;
    }
    entry.signature = signature;
    try {
      entry.listener(Object.freeze(matching));
    } catch (err) {
      this.zk.logger.error(`a provider listener of ${this.iface} threw: ${(err as Error).message}`);
    }
  }
}
