/**
 * This consumer's ephemeral nodes under `<root>/<interface>/consumers`, one per
 * interface/group/version, so ops tools see it: created once per session (with missing parents),
 * a leftover of an older session taken over, deleted on unregister and close.
 */
import { RegistryError } from '../../errors/index.js';
import { Deferred } from '../../utils/deferred.js';
import { serviceKey } from '../service-key.js';
import { type ConsumerRegistration } from '../registry.interface.js';
import { consumerNodePath, fallbackHost } from './consumer-url.js';
import { type ResolvedZookeeperConfig } from './config.js';
import { createEphemeralNode, deleteNode } from './ephemeral-node.js';
import { ACL_CREATOR_ALL, ACL_OPEN, ZK, ZkTimeoutError, zkCode } from './zk-client.js';
import { type ZkContext } from './zk-context.js';

interface ConsumerEntry {
  readonly key: string;
  readonly registration: ConsumerRegistration;
  /** Set on first creation and then fixed, so every session writes the same node name. */
  nodePath: string | undefined;
  state: 'pending' | 'creating' | 'created';
  /** Session that owns the node when created. */
  session: string | undefined;
  readonly waiters: Set<Deferred<void>>;
  retryTimer: NodeJS.Timeout | undefined;
}

type ConsumerConfig = Pick<
  ResolvedZookeeperConfig,
  'rootPath' | 'application' | 'auth' | 'consumerHost' | 'connectTimeoutMs' | 'requestTimeoutMs' | 'retryDelayMs'
>;

export class ConsumerNodes {
  private readonly consumers = new Map<string, ConsumerEntry>();
  /** Fixed per registry, so every session writes the same node name (never one per call). */
  private readonly startedAt = Date.now();
  private hostValue: string | undefined;
  /** Consumer node creations, all sessions. */
  creations = 0;

  constructor(
    private readonly config: ConsumerConfig,
    private readonly zk: ZkContext,
  ) {}

  /** Consumer nodes the current session has created. */
  get created(): number {
    let n = 0;
    for (const consumer of this.consumers.values()) {
      if (consumer.state === 'created' && consumer.session === this.zk.session) {
        n++;
      }
    }
    return n;
  }

  /** Resolves once the node exists (at once if it does); the interface name is checked by the caller. */
  register(consumer: ConsumerRegistration): Promise<void> {
    const key = serviceKey(consumer);
    let entry = this.consumers.get(key);
    if (entry === undefined) {
      entry = {
        key,
        registration: { ...consumer },
        nodePath: undefined,
        state: 'pending',
        session: undefined,
        waiters: new Set(),
        retryTimer: undefined,
      };
      this.consumers.set(key, entry);
    }
    if (entry.state === 'created') {
      return Promise.resolve();
    }
    const target = entry;
    const ms = this.zk.isLive ? this.config.requestTimeoutMs * 3 : this.config.connectTimeoutMs + this.config.requestTimeoutMs * 3;
    const waiter: Deferred<void> = new Deferred<void>()
      .expireAfter(ms, (d) =>
        d.reject(
          new RegistryError(
            `Consumer node for ${key} not created within the timeout (registry ${this.zk.status}); it will be created once connected`,
          ),
        ),
      )
      .onSettled(() => target.waiters.delete(waiter));
    target.waiters.add(waiter);
    if (target.state === 'pending' && this.zk.isLive) {
      void this.create(target);
    }
    return waiter.promise;
  }

  async unregister(consumer: ConsumerRegistration): Promise<void> {
    const key = serviceKey(consumer);
    const entry = this.consumers.get(key);
    if (entry === undefined) {
      return;
    }
    this.consumers.delete(key);
    this.clearRetry(entry);
    settle(entry, (w) => w.reject(new RegistryError(`Consumer ${key} was unregistered before its node was created`)));
    await this.remove(entry, this.zk.isLive);
  }

  /** Connected: create the nodes still missing, and those of an older session. */
  onLive(session: string): void {
    for (const consumer of this.consumers.values()) {
      if (consumer.state === 'pending' || (consumer.state === 'created' && consumer.session !== session)) {
        void this.create(consumer);
      }
    }
  }

  /** Session lost: every node is to be created again by the next session. */
  resetAll(): void {
    for (const consumer of this.consumers.values()) {
      this.clearRetry(consumer);
      consumer.state = 'pending';
      consumer.session = undefined;
    }
  }

  /**
   * Closing, before the client closes: forgets every consumer, rejects its waiters with `error`, and
   * deletes the nodes if the session was `live` (closing it would too; this is deterministic).
   */
  async close(error: Error, live: boolean): Promise<void> {
    const consumers = [...this.consumers.values()];
    this.consumers.clear();
    for (const consumer of consumers) {
      this.clearRetry(consumer);
      settle(consumer, (w) => w.reject(error));
    }
    await Promise.all(consumers.map((c) => this.remove(c, live)));
  }

  /** The address other tools see for this consumer: the local side of the ZooKeeper connection. */
  host(): string {
    if (this.config.consumerHost !== undefined) {
      return this.config.consumerHost;
    }
    if (this.hostValue === undefined) {
      const local = this.zk.client?.connectionManager?.socket?.localAddress;
      if (local !== undefined && local !== '' && this.zk.isLive) {
        this.hostValue = local.startsWith('::ffff:') ? local.slice(7) : local;
      } else {
        return fallbackHost();
      }
    }
    return this.hostValue;
  }

  /** Deletes our node if this session created it; a node of a dead session is gone already. */
  private async remove(entry: ConsumerEntry, live: boolean): Promise<void> {
    const client = this.zk.client;
    const wasCreated = entry.state === 'created' && entry.session === this.zk.session;
    entry.state = 'pending';
    if (!wasCreated || entry.nodePath === undefined || client === undefined || !live) {
      return;
    }
    const nodePath = entry.nodePath;
    await deleteNode(this.zk, client, nodePath).catch((err: unknown) =>
      this.zk.logger.warn(`could not delete consumer node ${nodePath}: ${(err as Error).message}`),
    );
  }

  private async create(entry: ConsumerEntry): Promise<void> {
    const client = this.zk.client;
    const session = this.zk.session;
    if (client === undefined || session === undefined || !this.zk.isLive || entry.state === 'creating') {
      return;
    }
    this.clearRetry(entry);
    entry.state = 'creating';
    entry.nodePath ??= consumerNodePath(entry.registration, { ...this.config, host: this.host(), timestamp: this.startedAt });
    const nodePath = entry.nodePath;
    const acl = this.config.auth !== undefined ? ACL_CREATOR_ALL : ACL_OPEN;
    try {
      await createEphemeralNode(this.zk, client, nodePath, acl, session);
      if (this.consumers.get(entry.key) !== entry || client !== this.zk.client) {
        // Unregistered or session replaced meanwhile: this node must not stay.
        if (this.consumers.get(entry.key) !== entry && client === this.zk.client && this.zk.isLive) {
          await deleteNode(this.zk, client, nodePath).catch(() => undefined);
        }
        return;
      }
      entry.state = 'created';
      entry.session = session;
      this.creations++;
      settle(entry, (w) => w.resolve());
    } catch (err) {
      if (this.consumers.get(entry.key) !== entry || client !== this.zk.client) {
        return;
      }
      entry.state = 'pending';
      if (err instanceof ZkTimeoutError) {
        this.zk.timedOut(client);
        return;
      }
      if (zkCode(err) === ZK.NO_AUTH) {
        const error = new RegistryError(
          `ZooKeeper refused to create consumer node under ${nodePath.slice(0, nodePath.lastIndexOf('/'))} (NO_AUTH); check registry.auth`,
          {
            cause: err,
            context: { service: entry.registration.interface },
          },
        );
        this.zk.logger.error(error.message);
        settle(entry, (w) => w.reject(error));
        return;
      }
      if (this.zk.isLive) {
        this.zk.logger.warn(`creating consumer node for ${entry.key} failed (${(err as Error).message}); retrying`);
        entry.retryTimer = setTimeout(() => {
          entry.retryTimer = undefined;
          void this.create(entry);
        }, this.config.retryDelayMs);
        entry.retryTimer.unref();
      }
    }
  }

  private clearRetry(entry: ConsumerEntry): void {
    if (entry.retryTimer !== undefined) {
      clearTimeout(entry.retryTimer);
      entry.retryTimer = undefined;
    }
  }
}

/** Settles every waiter of `entry` (each leaves the set as it settles). */
function settle(entry: ConsumerEntry, how: (waiter: Deferred<void>) => void): void {
  for (const waiter of [...entry.waiters]) {
    how(waiter);
  }
}
