/**
 * Every interface subscribed, one {@link ServiceSubscription} each for the life of the registry, and
 * what is done to all of them at once: re-arm when the session is live, reset when it is lost, stop
 * on close. Also the cold-path account of why nothing matches a key.
 */
import { type ConsumerIdentity } from '../configurators.js';
import { classifyProviderNode, encodeNodeName } from '../provider-url.js';
import { type ServiceKey } from '../service-key.js';
import { describeRegistered } from '../registered-keys.js';
import { type ProviderListener } from '../registry.interface.js';
import { type ResolvedZookeeperConfig } from './config.js';
import { ServiceSubscription, type SubscriptionConfig } from './service-subscription.js';
import { type ZkContext } from './zk-context.js';

export class Subscriptions {
  private readonly services = new Map<string, ServiceSubscription>();
  /** Reads of `<root>/mapping/<interface>` made by describeAbsence(). */
  absenceReads = 0;

  constructor(
    private readonly config: SubscriptionConfig & Pick<ResolvedZookeeperConfig, 'rootPath'>,
    private readonly zk: ZkContext,
    private readonly consumer: () => ConsumerIdentity,
  ) {}

  get size(): number {
    return this.services.size;
  }

  all(): IterableIterator<ServiceSubscription> {
    return this.services.values();
  }

  /** Adds a listener to the subscription of `iface` (trimmed by the caller), created on first use. */
  subscribe(iface: string, key: ServiceKey, listener: ProviderListener): Promise<() => void> {
    let service = this.services.get(iface);
    if (service === undefined) {
      service = new ServiceSubscription(iface, `${this.config.rootPath}/${encodeNodeName(iface)}`, this.zk, this.config, this.consumer);
      this.services.set(iface, service);
    }
    return service.add(key, listener);
  }

  /** Connected: re-arm the idle paths of the services in use. */
  armIdle(): void {
    for (const service of this.services.values()) {
      service.resume();
    }
  }

  /** Session lost: every path back to idle, keeping the last listing of the ones in use. */
  resetAll(): void {
    for (const service of this.services.values()) {
      service.reset();
    }
  }

  /** Closing: paths forgotten, waiters rejected with `error`, listeners dropped. */
  close(error: Error): void {
    for (const service of this.services.values()) {
      service.close(error);
    }
  }

  /**
   * Why nothing matches `key`: the versions and groups registered instead (from the listing held in
   * memory), else whether `<root>/mapping/<interface>` names applications that register this
   * interface at application level only (one read, no watch, bounded by requestTimeoutMs).
   */
  async describeAbsence(key: ServiceKey): Promise<string | undefined> {
    const iface = key.interface.trim();
    const service = this.services.get(iface);
    const names = service?.providers.children ?? [];
    const verdicts = names.map((name) => service!.verdicts.providers.get(name) ?? classifyProviderNode(name, iface));
    const registered = describeRegistered(verdicts, key);
    if (registered !== undefined || names.length > 0) {
      return registered;
    }
    const client = this.zk.client;
    if (client?.getData === undefined || !this.zk.isLive) {
      return undefined;
    }
    const root = this.config.rootPath;
    const path = `${root}/mapping/${encodeNodeName(iface)}`;
    this.absenceReads++;
    try {
      const data = await this.zk.request<Buffer | null | undefined>(`getData(${path})`, (cb) => client.getData!(path, cb));
      const apps = (data?.toString('utf8') ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== '');
      return `registered at application level only (${path}: ${apps.length > 0 ? apps.join(', ') : 'no application'}); this client discovers interface-level providers under ${root}/${encodeNodeName(iface)}/providers`;
    } catch {
      // No mapping node (the usual case), or no answer: nothing to add to the error.
      return undefined;
    }
  }
}
