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
 *
 * This class is the facade and the wiring. The parts live next to it, each with its own state and
 * timers, and reach the session only through `ZkContext`: `ZkSession` (the client's lifecycle),
 * `Subscriptions` of `ServiceSubscription`s with their two `WatchedPath`s, `ConsumerNodes`, the
 * pure provider computation (provider-list.ts) and the stats assembly (registry-stats.ts).
 */
import { DubboConfigError, RegistryError } from '../../errors/index.js';
import { silentLogger } from '../../logging/logger.js';
import { StatusMachine } from '../../utils/status-machine.js';
import { type ServiceKey } from '../service-key.js';
import {
  type ConsumerRegistration,
  type ProviderListener,
  type Registry,
  type RegistryStats,
  type RegistryStatus,
} from '../registry.interface.js';
import { ConsumerNodes } from './consumer-nodes.js';
import { type ResolvedZookeeperConfig, resolveZookeeperConfig, type ZookeeperRegistryConfig } from './config.js';
import { registryStats } from './registry-stats.js';
import { Subscriptions } from './subscriptions.js';
import { createZkClient, type ZkClient, type ZkClientFactory } from './zk-client.js';
import { ZkSession } from './zk-session.js';

export type { ZookeeperRegistryConfig } from './config.js';

/** @internal test seam: a fake ZooKeeper client. */
export interface ZookeeperRegistryInternals {
  clientFactory?: ZkClientFactory;
}

/**
 * The ZooKeeper registry.
 * @publicApi
 */
export class ZookeeperRegistry implements Registry {
  private readonly statusMachine: StatusMachine<RegistryStatus>;
  private readonly config: ResolvedZookeeperConfig;
  private readonly zk: ZkSession;
  private readonly subscriptions: Subscriptions;
  private readonly consumerNodes: ConsumerNodes;
  private closePromise: Promise<void> | undefined;

  constructor(config: ZookeeperRegistryConfig, internals: ZookeeperRegistryInternals = {}) {
    this.config = resolveZookeeperConfig(config);
    const logger = config.logger ?? silentLogger;
    this.statusMachine = new StatusMachine<RegistryStatus>('idle', `ZooKeeper registry ${config.address}`, logger);
    this.zk = new ZkSession(this.config, this.statusMachine, logger, internals.clientFactory ?? createZkClient, {
      onLive: (session) => {
        this.subscriptions.armIdle();
        this.consumerNodes.onLive(session);
      },
      onLost: () => {
        this.subscriptions.resetAll();
        this.consumerNodes.resetAll();
      },
    });
    this.consumerNodes = new ConsumerNodes(this.config, this.zk);
    this.subscriptions = new Subscriptions(this.config, this.zk, () => ({
      host: this.consumerNodes.host(),
      application: this.config.application,
    }));
  }

  get status(): RegistryStatus {
    return this.statusMachine.value;
  }

  onStatus(listener: (status: RegistryStatus, previous: RegistryStatus) => void): () => void {
    return this.statusMachine.onChange(listener);
  }

  /** @internal The current ZooKeeper client: the fault tests read it to check its listeners. */
  private get client(): ZkClient | undefined {
    return this.zk.client;
  }

  connect(): Promise<void> {
    if (this.zk.isClosing) {
      return Promise.reject(new RegistryError('The registry is closed'));
    }
    if (this.statusMachine.value === 'connected') {
      return Promise.resolve();
    }
    if (this.statusMachine.value === 'idle') {
      this.statusMachine.set('connecting');
      this.zk.open();
    }
    return this.zk.whenConnected();
  }

  subscribe(key: ServiceKey, listener: ProviderListener): Promise<() => void> {
    if (this.zk.isClosing) {
      return Promise.reject(new RegistryError('The registry is closed'));
    }
    if (typeof key?.interface !== 'string' || key.interface.trim() === '' || key.interface.includes('/')) {
      return Promise.reject(new DubboConfigError('service', `must be a Java interface name, got '${String(key?.interface)}'`));
    }
    if (typeof listener !== 'function') {
      return Promise.reject(new DubboConfigError('listener', 'must be a function'));
    }
    return this.subscriptions.subscribe(key.interface.trim(), key, listener);
  }

  describeAbsence(key: ServiceKey): Promise<string | undefined> {
    return this.subscriptions.describeAbsence(key);
  }

  register(consumer: ConsumerRegistration): Promise<void> {
    if (this.zk.isClosing) {
      return Promise.reject(new RegistryError('The registry is closed'));
    }
    if (typeof consumer?.interface !== 'string' || consumer.interface.trim() === '' || consumer.interface.includes('/')) {
      return Promise.reject(new DubboConfigError('service', `must be a Java interface name, got '${String(consumer?.interface)}'`));
    }
    return this.consumerNodes.register(consumer);
  }

  unregister(consumer: ConsumerRegistration): Promise<void> {
    return this.consumerNodes.unregister(consumer);
  }

  stats(): RegistryStats {
    return registryStats({
      status: this.statusMachine.value,
      client: this.zk.client?.connectionManager,
      session: this.zk.counters,
      services: this.subscriptions.all(),
      absenceReads: this.subscriptions.absenceReads,
      consumerNodes: this.consumerNodes.created,
      consumerNodeCreations: this.consumerNodes.creations,
    });
  }

  close(): Promise<void> {
    this.closePromise ??= this.doClose();
    return this.closePromise;
  }

  private async doClose(): Promise<void> {
    const wasLive = this.zk.isLive;
    this.statusMachine.set('closing');
    const closed = new RegistryError('The registry was closed');
    this.zk.stopWaiting(closed);
    this.subscriptions.close(closed);
    await this.consumerNodes.close(closed, wasLive);
    await this.zk.close();
    this.statusMachine.set('closed');
    this.statusMachine.clearListeners();
  }
}
