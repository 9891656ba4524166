import { ClientClosedError } from '../errors/client-closed.error.js';
import { LimitExceededError } from '../errors/limit-exceeded.error.js';
import { NoProviderError } from '../errors/no-provider.error.js';
import { type GenericInvocation } from '../interfaces/generic-invocation.interface.js';
import { type DubboClientDiagnostics, type DubboClientSnapshot, type DubboClientStatus } from '../interfaces/status.interface.js';
import { type DubboLogger, silentLogger } from '../logging/logger.js';
import { checkInvocation } from '../options/invocation-rules.js';
import { type ResolvedDubboGenericOptions, type ResolvedReference } from '../options/resolve-options.js';
import { type Registry, type RegistryStatus } from '../registry/registry.interface.js';
import { ConnectionPool } from '../transport/connection-pool.js';
import { type ConnectionStatus } from '../transport/connection-status.js';
import { Deferred } from '../utils/deferred.js';
import { StatusMachine } from '../utils/status-machine.js';
import { Reference } from '../reference/reference.js';
import { ReferenceCache } from '../reference/reference-cache.js';
import { normalizeGroup, normalizeVersion, type ServiceKey, serviceKey } from '../registry/service-key.js';
import { buildRegistry } from './build-registry.js';

export interface DubboConsumerDeps {
  logger?: DubboLogger;
  /** Replaces the registry built from the options (tests). */
  registry?: Registry;
}

/**
 * The whole consumer without Nest: registry session, connection pool and reference cache, with one
 * status machine (idle → connecting → ready ⇄ reconnecting → draining → closed). The Nest bootstrap
 * maps lifecycle hooks onto start / warm / close.
 */
export class DubboConsumer {
  private readonly statusMachine: StatusMachine<DubboClientStatus>;
  readonly registry: Registry;
  readonly pool: ConnectionPool;
  /** Keyed by `group/interface:version`; created from the checked, normalized parts themselves. */
  readonly references: ReferenceCache<Reference, Required<ServiceKey>>;
  private readonly logger: DubboLogger;
  private inFlightCount = 0;
  /** Set while closing with calls in flight: settles when the last one ends, or at shutdownTimeoutMs. */
  private drained: Deferred<void> | undefined;
  private readonly offRegistryStatus: () => void;
  private closing: Promise<void> | undefined;
  private readonly declared = new Map<string, ResolvedReference>();
  /** Interfaces ever subscribed to: the registry watches each for the life of the process. */
  private readonly interfaces = new Set<string>();

  constructor(
    readonly options: ResolvedDubboGenericOptions,
    deps: DubboConsumerDeps = {},
  ) {
    this.logger = deps.logger ?? silentLogger;
    this.statusMachine = new StatusMachine<DubboClientStatus>('idle', 'Dubbo client', this.logger);
    this.registry = deps.registry ?? buildRegistry(options, this.logger);
    this.pool = new ConnectionPool({
      connections: options.connections,
      connectTimeoutMs: options.connectTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      maxPayloadBytes: options.maxPayloadBytes,
      maxInFlight: options.maxInFlightPerConnection,
      logger: this.logger,
    });
    for (const ref of options.references) {
      this.declared.set(serviceKey({ interface: ref.service, version: ref.version, group: ref.group }), ref);
    }
    this.references = new ReferenceCache<Reference, Required<ServiceKey>>({
      create: (key, identity) => this.createReference(key, identity!),
      destroy: (ref) => ref.destroy(),
      idleMs: options.referenceIdleMs,
    });
    this.offRegistryStatus = this.registry.onStatus((status) => this.onRegistryStatus(status));
  }

  get status(): DubboClientStatus {
    return this.statusMachine.value;
  }

  /** Status changes, e.g. for a health indicator; returns the function that unsubscribes. */
  onStatus(listener: (status: DubboClientStatus, previous: DubboClientStatus) => void): () => void {
    return this.statusMachine.onChange(listener);
  }

  private setStatus(next: DubboClientStatus): void {
    this.statusMachine.set(next);
  }

  private onRegistryStatus(status: RegistryStatus): void {
    if (this.statusMachine.value === 'draining' || this.statusMachine.value === 'closed' || this.statusMachine.value === 'idle') {
      return;
    }
    if (status === 'connected') {
      this.setStatus('ready');
    } else if (status === 'disconnected' || status === 'expired-recovering') {
      this.setStatus('reconnecting');
    }
  }

  /** Connects the registry. With onRegistryUnavailable 'background', a failure only logs. */
  async start(): Promise<void> {
    if (this.statusMachine.value !== 'idle') {
      return;
    }
    this.setStatus('connecting');
    try {
      await this.registry.connect();
      if (this.status === 'connecting') {
        this.setStatus('ready');
      }
    } catch (err) {
      if (this.options.onRegistryUnavailable === 'fail') {
        this.setStatus('closed');
        await this.shutdownResources();
        throw err;
      }
      this.logger.warn(`registry unavailable at start-up, retrying in the background: ${(err as Error).message}`);
      this.setStatus('reconnecting');
    }
  }

  /** Creates the declared references; `check: true` ones must have a provider. */
  async warm(): Promise<void> {
    await Promise.all(
      this.options.references.map(async (ref) => {
        const identity = { interface: ref.service, version: normalizeVersion(ref.version), group: normalizeGroup(ref.group) };
        this.interfaces.add(ref.service);
        const reference = await this.references.get(serviceKey(identity), identity);
        if (ref.check && reference.providerList().length === 0) {
          const absence = await reference.describeAbsence();
          throw new NoProviderError(
            `No provider for ${reference.key} at start-up (references[].check is true): is the service running, registered under this version and group?${absence ? ` ${absence}` : ''}`,
            { context: { service: ref.service, version: ref.version, group: ref.group, ...(absence ? { registered: absence } : {}) } },
          );
        }
      }),
    );
  }

  private async createReference(key: string, identity: Required<ServiceKey>): Promise<Reference> {
    const declared = this.declared.get(key);
    const { interface: service, version, group } = identity;
    const reference = new Reference(
      key,
      {
        service,
        version,
        group,
        defaults: declared ?? this.options.defaults,
        declared: declared !== undefined,
        application: this.options.application,
        register: this.options.registry.kind === 'zookeeper' && this.options.registry.register,
      },
      { registry: this.registry, pool: this.pool, logger: this.logger },
    );
    try {
      await reference.init();
    } catch (err) {
      await reference.destroy();
      throw err;
    }
    return reference;
  }

  /**
   * One generic call, with the cluster semantics of the reference. Every field is checked first
   * (invocation-rules.ts): a bad one rejects with DubboConfigError before anything is created or sent.
   */
  invoke<T>(invocation: GenericInvocation): Promise<T> {
    const status = this.statusMachine.value;
    if (status === 'draining' || status === 'closed') {
      return Promise.reject(new ClientClosedError(undefined, { context: { service: invocation?.service, method: invocation?.method } }));
    }
    const problem = checkInvocation(invocation);
    if (problem) {
      return Promise.reject(problem);
    }
    const service = invocation.service;
    const identity = { interface: service, version: normalizeVersion(invocation.version), group: normalizeGroup(invocation.group) };
    const key = serviceKey(identity);
    // Unambiguous: the rules keep '/' and ':' out of service, version and group.
    const ready = this.references.peek(key);
    if (ready === undefined) {
      const limit = this.limitFor(key, service);
      if (limit) {
        return Promise.reject(limit);
      }
    }
    this.inFlightCount++;
    const run = ready
      ? ready.invoke(invocation.method, invocation.parameterTypes, invocation.args, invocation)
      : this.references
          .get(key, identity)
          .then((ref) => ref.invoke(invocation.method, invocation.parameterTypes, invocation.args, invocation));
    return run.finally(() => this.callDone()) as Promise<T>;
  }

  /**
   * Callers choose service names, versions and groups: a new reference, and above all a new
   * interface (a ZooKeeper watch for the life of the process), is only created within the bounds.
   */
  private limitFor(key: string, service: string): LimitExceededError | undefined {
    if (this.references.has(key)) {
      return undefined;
    }
    const { maxReferences, maxServices } = this.options;
    if (this.references.size >= maxReferences) {
      return new LimitExceededError(
        `Cannot create a reference for ${key}: ${this.references.size} references exist already (maxReferences ${maxReferences}); raise maxReferences or let referenceIdleMs release unused ones`,
        { context: { service, limit: 'maxReferences', value: maxReferences } },
      );
    }
    if (!this.interfaces.has(service)) {
      if (this.interfaces.size >= maxServices) {
        return new LimitExceededError(
          `Cannot subscribe to ${service}: this client watches ${this.interfaces.size} interfaces already (maxServices ${maxServices}), each for the life of the process; raise maxServices`,
          { context: { service, limit: 'maxServices', value: maxServices } },
        );
      }
      this.interfaces.add(service);
    }
    return undefined;
  }

  private callDone(): void {
    if (--this.inFlightCount === 0) {
      this.drained?.resolve();
    }
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  snapshot(): DubboClientSnapshot {
    const r = this.options.registry;
    const refs = this.references
      .keys()
      .map((k) => this.references.peek(k))
      .filter((x): x is Reference => x !== undefined);
    return {
      status: this.statusMachine.value,
      registry: { kind: r.kind, status: this.registry.status, address: r.kind === 'zookeeper' ? r.address : undefined },
      references: refs.map((ref) => ({
        key: ref.key,
        service: ref.settings.service,
        version: ref.settings.version,
        group: ref.settings.group,
        providers: ref.providerList(),
        inFlight: ref.inFlight,
      })),
      connections: this.pool
        .snapshot()
        .flatMap((e) => e.connections.map((c) => ({ address: e.address, status: c.status as ConnectionStatus, inFlight: c.inFlight }))),
      inFlight: this.inFlightCount,
    };
  }

  /** Exact counters for metrics and leak checks; no I/O. */
  diagnostics(): DubboClientDiagnostics {
    const pool = this.pool.snapshot();
    return {
      status: this.statusMachine.value,
      references: { cached: this.references.size, created: this.references.created, max: this.options.maxReferences },
      services: { subscribed: this.interfaces.size, max: this.options.maxServices },
      registry: { ...this.registry.stats(), kind: this.options.registry.kind },
      connections: {
        addresses: pool.length,
        total: pool.reduce((n, e) => n + e.connections.length, 0),
        leases: pool.reduce((n, e) => n + e.refs, 0),
      },
      inFlight: this.inFlightCount,
    };
  }

  /** Drain (new calls rejected, in-flight ones awaited up to shutdownTimeoutMs), then close everything. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    if (this.statusMachine.value === 'closed') {
      return;
    }
    this.setStatus('draining');
    if (this.inFlightCount > 0) {
      this.drained = new Deferred<void>().expireAfter(this.options.shutdownTimeoutMs, (d) => d.resolve());
      await this.drained.promise;
      if (this.inFlightCount > 0) {
        this.logger.warn(
          `${this.inFlightCount} Dubbo call(s) still in flight after shutdownTimeoutMs=${this.options.shutdownTimeoutMs}; closing their connections`,
        );
      }
    }
    await this.shutdownResources();
    this.setStatus('closed');
    this.statusMachine.clearListeners();
  }

  private async shutdownResources(): Promise<void> {
    this.offRegistryStatus();
    await this.references.close();
    await this.pool.close();
    await this.registry.close();
  }
}
