import { invokeCluster } from '../cluster/cluster-invoker.js';
import {
  LeastActiveLoadBalancer,
  type LoadBalancer,
  RandomLoadBalancer,
  RoundRobinLoadBalancer,
  ShortestResponseLoadBalancer,
} from '../cluster/load-balance.js';
import { MethodNotFoundError } from '../errors/method-not-found.error.js';
import { NoProviderError } from '../errors/no-provider.error.js';
import { type LoadBalanceMode } from '../interfaces/dubbo-generic-options.interface.js';
import { type CallOptions } from '../interfaces/generic-invocation.interface.js';
import { type DubboLogger } from '../logging/logger.js';
import { type ResolvedCallDefaults } from '../options/resolve-options.js';
import { type RpcInvocation } from '../protocol/invocation.js';
import { type ProviderUrl } from '../registry/provider-url.js';
import { type ConsumerRegistration, type Registry } from '../registry/registry.interface.js';
import { type ConnectionLease, type ConnectionPool } from '../transport/connection-pool.js';
import { CandidateWaiter } from './candidate-waiter.js';
import { DEPRIORITISE_MS, refusesService } from './deprioritise.js';

export interface ReferenceSettings {
  service: string;
  version: string;
  group: string;
  /** Consumer-side settings (declared reference, else module defaults). */
  defaults: ResolvedCallDefaults;
  /** Whether `defaults` were declared for this reference (then they beat the provider's URL). */
  declared: boolean;
  application: string;
  register: boolean;
}

export interface ReferenceDeps {
  registry: Registry;
  pool: ConnectionPool;
  logger: DubboLogger;
}

interface LiveProvider {
  url: ProviderUrl;
  lease: ConnectionLease;
  active: number;
  avgLatencyMs: number;
  // Candidate fields, kept current so the balancer reads them without allocating.
  address: string;
  weight: number;
  timestamp: number;
  warmupMs: number;
  /** Passed over until then (performance.now()) while others can serve: it refused the service. */
  deprioritisedUntil: number;
  /** `remote.application` (+ `token`) of calls to this provider, built once. */
  attachments?: Readonly<Record<string, unknown>>;
}

function balancerFor(mode: LoadBalanceMode): LoadBalancer {
  switch (mode) {
    case 'roundrobin':
      return new RoundRobinLoadBalancer();
    case 'leastactive':
      return new LeastActiveLoadBalancer();
    case 'shortestresponse':
      return new ShortestResponseLoadBalancer();
    case 'random':
      return new RandomLoadBalancer();
  }
}

const BALANCER_MODES: ReadonlySet<string> = new Set<LoadBalanceMode>(['random', 'roundrobin', 'leastactive', 'shortestresponse']);

/**
 * One service (`group/interface:version`): its single registry subscription, its providers and their
 * leases on the shared connection pool, and the cluster logic of a call. Created once per key by the
 * reference cache; destroyed only when released (idle) or at shutdown.
 */
export class Reference {
  readonly key: string;
  private providers: LiveProvider[] = [];
  private unsubscribe: (() => void) | undefined;
  private readonly balancers = new Map<string, LoadBalancer>();
  private unknownBalancer: string | undefined;
  private destroyed = false;
  private inFlightCount = 0;
  private firstList: Promise<void>;
  private resolveFirstList!: () => void;
  private readonly registration: ConsumerRegistration;
  private readonly waiter = new CandidateWaiter();
  /** The first provider list arrived. */
  private listed = false;
  private subscribing: Promise<void> | undefined;
  /** Why the last subscription attempt failed (the cause of a NoProviderError while unlisted). */
  private subscribeError: unknown;
  /** Latest deprioritisedUntil of any provider: past it, candidates() skips the check. */
  private deprioritisedUntil = 0;
  /** Why no provider matches, computed once per empty list (cold path). */
  private absence: Promise<string | undefined> | undefined;

  constructor(
    key: string,
    readonly settings: ReferenceSettings,
    private readonly deps: ReferenceDeps,
  ) {
    this.key = key;
    this.firstList = new Promise((r) => (this.resolveFirstList = r));
    this.registration = {
      interface: settings.service,
      version: settings.version,
      group: settings.group,
      params: {
        timeout: String(settings.defaults.timeoutMs),
        retries: String(settings.defaults.retries),
        loadbalance: settings.defaults.loadbalance,
      },
    };
  }

  /**
   * Subscribes once; resolves when the first provider list has arrived. While the registry is not
   * connected it resolves at once and the subscription goes on in the background: calls then wait
   * for the list within their own deadline (NoProviderError after it).
   */
  async init(): Promise<void> {
    const pending = this.subscribe();
    const status = this.deps.registry.status;
    if (status === 'connecting' || status === 'disconnected' || status === 'expired-recovering') {
      pending.catch(() => undefined);
    } else {
      await pending;
      await this.firstList;
    }
    if (this.settings.register) {
      // Registration is etiquette (ops tools): a failure is logged, never fatal to calls.
      this.deps.registry.register(this.registration).catch((err: unknown) => {
        // Released before the node existed (e.g. a checked reference without provider): nothing to report.
        if (!this.destroyed) {
          this.deps.logger.warn(`could not register consumer node for ${this.key}: ${(err as Error).message}`);
        }
      });
    }
  }

  /** One subscription attempt at a time; after a failure the next call tries again (same watches). */
  private subscribe(): Promise<void> {
    if (this.subscribing) {
      return this.subscribing;
    }
    const { service, version, group } = this.settings;
    const attempt = this.deps.registry
      .subscribe({ interface: service, version, group }, (list) => this.update(list))
      .then(
        (unsubscribe) => {
          if (this.destroyed) {
            unsubscribe();
          } else {
            this.unsubscribe = unsubscribe;
          }
        },
        (err: unknown) => {
          this.subscribing = undefined;
          this.subscribeError = err;
          this.waiter.wake();
          throw err;
        },
      );
    this.subscribing = attempt;
    return attempt;
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  providerList(): Array<{ address: string; weight: number; available: boolean }> {
    return this.providers.map((p) => ({ address: p.address, weight: p.weight, available: p.lease.acceptsCalls }));
  }

  /** Replaces the provider list: leases for new addresses, releases for vanished ones. */
  private update(list: readonly ProviderUrl[]): void {
    if (this.destroyed) {
      return;
    }
    const previous = new Map(this.providers.map((p) => [p.address, p]));
    const next: LiveProvider[] = [];
    for (const url of list) {
      const kept = previous.get(url.address);
      if (kept) {
        previous.delete(url.address);
        kept.url = url;
        kept.weight = url.weight;
        kept.timestamp = url.timestamp;
        kept.warmupMs = url.warmup;
        next.push(kept);
      } else if (!next.some((p) => p.address === url.address)) {
        next.push({
          url,
          lease: this.deps.pool.acquire(url.address),
          active: 0,
          avgLatencyMs: 0,
          address: url.address,
          weight: url.weight,
          timestamp: url.timestamp,
          warmupMs: url.warmup,
          deprioritisedUntil: 0,
        });
      }
    }
    this.providers = next;
    this.listed = true;
    this.absence = undefined;
    for (const gone of previous.values()) {
      void gone.lease.release();
    }
    for (const p of next) {
      // Listed again (e.g. re-registered after a restart): a connection in reconnect backoff tries now.
      if (!p.lease.acceptsCalls) {
        p.lease.reconnectNow();
      }
    }
    this.waiter.wake();
    this.resolveFirstList();
  }

  /** Providers that take calls, without those deprioritised for a moment unless nobody else can serve. */
  private candidates(): LiveProvider[] {
    const usable = this.providers.filter((p) => p.lease.acceptsCalls);
    if (this.deprioritisedUntil === 0 || usable.length < 2) {
      return usable;
    }
    const now = performance.now();
    if (now >= this.deprioritisedUntil) {
      this.deprioritisedUntil = 0;
      return usable;
    }
    const preferred = usable.filter((p) => p.deprioritisedUntil <= now);
    return preferred.length > 0 ? preferred : usable;
  }

  private deprioritise(p: LiveProvider): void {
    p.deprioritisedUntil = performance.now() + DEPRIORITISE_MS;
    this.deprioritisedUntil = Math.max(this.deprioritisedUntil, p.deprioritisedUntil);
  }

  /** No list yet (registry not connected): wait for it within the call's deadline. */
  private async awaitFirstList(method: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    if (!this.subscribing && !this.destroyed) {
      this.subscribe().catch(() => undefined);
    }
    const started = performance.now();
    await this.waiter.wait([], timeoutMs, signal);
    if (this.listed) {
      return;
    }
    const s = this.settings;
    const waited = Math.round(performance.now() - started);
    throw new NoProviderError(
      `No provider available for ${this.key}: no provider list from the registry (${this.deps.registry.status}) within ${waited} ms`,
      {
        cause: this.subscribeError,
        context: { service: s.service, method, version: s.version, group: s.group, registryStatus: this.deps.registry.status },
      },
    );
  }

  /** The registry's account of what is registered instead (cold path, once per empty list). */
  describeAbsence(): Promise<string | undefined> {
    const { service, version, group } = this.settings;
    this.absence ??=
      this.deps.registry.describeAbsence?.({ interface: service, version, group }).catch(() => undefined) ?? Promise.resolve(undefined);
    return this.absence;
  }

  /** A provider URL may name a balancer this client does not run (consistenthash, a custom one): random then, said once. */
  private providerBalancer(named: string | undefined): LoadBalanceMode | undefined {
    if (named === undefined || BALANCER_MODES.has(named)) {
      return named as LoadBalanceMode | undefined;
    }
    if (this.unknownBalancer !== named) {
      this.unknownBalancer = named;
      this.deps.logger.warn(`${this.key}: providers ask for loadbalance '${named}', which this client does not run; balancing at random`);
    }
    return 'random';
  }

  private balancer(mode: LoadBalanceMode): LoadBalancer {
    let lb = this.balancers.get(mode);
    if (!lb) {
      lb = balancerFor(mode);
      this.balancers.set(mode, lb);
    }
    return lb;
  }

  async invoke(method: string, parameterTypes: string[] | null, args: unknown[], options: CallOptions): Promise<unknown> {
    const s = this.settings;
    const first = this.providers[0]?.url;
    // Dubbo's precedence: call > declared reference > provider URL > module defaults.
    const retries = options.retries ?? (s.declared ? s.defaults.retries : (first?.retries ?? s.defaults.retries));
    const loadbalance = (s.declared ? s.defaults.loadbalance : this.providerBalancer(first?.loadbalance)) ?? s.defaults.loadbalance;
    // The call's deadline also bounds how long it waits for a connection to come back.
    const timeoutMs = options.timeoutMs ?? (s.declared ? s.defaults.timeoutMs : (first?.timeout ?? s.defaults.timeoutMs));
    if (!this.listed) {
      await this.awaitFirstList(method, timeoutMs, options.signal);
    }
    const absence = first === undefined ? await this.describeAbsence() : undefined;
    this.inFlightCount++;
    try {
      return await invokeCluster<LiveProvider, unknown>({
        mode: s.defaults.cluster,
        retries,
        balancer: this.balancer(loadbalance),
        context: { method, args },
        candidates: () => this.candidates(),
        aborted: () => options.signal?.aborted === true || this.destroyed,
        waitBudgetMs: timeoutMs,
        awaitCandidate: (ms) =>
          this.providers.length === 0 || this.destroyed
            ? Promise.resolve(false)
            : this.waiter.wait(
                this.providers.map((p) => p.lease),
                ms,
                options.signal,
              ),
        noProvider: (tried, waitedMs) =>
          new NoProviderError(
            this.providers.length === 0
              ? `No provider available for ${this.key}: none registered that matches (check the version and group)${absence ? `; ${absence}` : ''}`
              : `No provider available for ${this.key}: ${this.providers.length} registered, none reachable${waitedMs > 0 ? ` within ${waitedMs} ms` : ''}${tried.length ? ` (tried ${tried.join(', ')})` : ''}`,
            { context: { service: s.service, method, version: s.version, group: s.group, ...(absence ? { registered: absence } : {}) } },
          ),
        attempt: (p, _attemptNo, budgetMs) =>
          this.call(p, method, parameterTypes, args, budgetMs === undefined ? options : { ...options, timeoutMs: budgetMs }),
      });
    } finally {
      this.inFlightCount--;
    }
  }

  private async call(
    p: LiveProvider,
    method: string,
    parameterTypes: string[] | null,
    args: unknown[],
    options: CallOptions,
  ): Promise<unknown> {
    const s = this.settings;
    const url = p.url;
    const timeoutMs = options.timeoutMs ?? (s.declared ? s.defaults.timeoutMs : (url.timeout ?? s.defaults.timeoutMs));
    // Without per-call attachments the provider's own (application, token) object is reused: the
    // encoder only reads it.
    let attachments = p.attachments;
    if (attachments === undefined || attachments.token !== url.token) {
      attachments = p.attachments =
        url.token !== undefined ? { 'remote.application': s.application, token: url.token } : { 'remote.application': s.application };
    }
    if (options.attachments) {
      attachments = { ...attachments, ...options.attachments };
    }
    const invocation: RpcInvocation = {
      path: url.path,
      interface: url.interface,
      version: url.version || s.version,
      group: url.group || s.group || undefined,
      method,
      parameterTypes,
      args,
      attachments,
    };
    p.active++;
    const started = performance.now();
    try {
      const value = await p.lease.request(invocation, { timeoutMs, signal: options.signal });
      const elapsed = performance.now() - started;
      p.avgLatencyMs = p.avgLatencyMs === 0 ? elapsed : p.avgLatencyMs * 0.9 + elapsed * 0.1;
      return value;
    } catch (err) {
      if (refusesService(err)) {
        this.deprioritise(p);
      } else if (err instanceof MethodNotFoundError) {
        err.context.parameterTypes = parameterTypes;
        err.message = `${err.message}; parameterTypes sent: ${parameterTypes === null ? 'null' : `[${parameterTypes.join(', ')}]`}`;
      }
      throw err;
    } finally {
      p.active--;
    }
  }

  /** Releases the subscription, the consumer node and every lease. */
  async destroy(): Promise<void> {
    if (this.destroyed) {
      return;
    }
    this.destroyed = true;
    this.waiter.close();
    this.resolveFirstList();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const leases = this.providers.map((p) => p.lease);
    this.providers = [];
    const tasks: Array<Promise<unknown>> = leases.map((l) => l.release());
    if (this.settings.register) {
      tasks.push(this.deps.registry.unregister(this.registration).catch(() => undefined));
    }
    await Promise.all(tasks);
  }
}
