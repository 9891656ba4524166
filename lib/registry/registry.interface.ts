import { type ProviderUrl } from './provider-url.js';
import { type ServiceKey } from './service-key.js';
import { type RegistryStats, type RegistryStatus } from './registry-status.js';

export type { PathStats, RegistryStats, RegistryStatus } from './registry-status.js';

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
