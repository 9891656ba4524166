/**
 * One watched ZooKeeper path (`providers` or `configurators` of an interface), for the life of the
 * registry. It runs idle → arming → armed, re-armed once per event, and always hands ZooKeeper the
 * same watcher function: node-zookeeper-client de-duplicates watchers by identity only, so that is
 * what keeps one listener per path. At most one request per path at a time, only while connected.
 */
import { RegistryError } from '../../errors/index.js';
import { type PathStats } from '../registry.interface.js';
import { type ResolvedZookeeperConfig } from './defaults.js';
import { ZK, type ZkClient, type ZkEvent, type ZkStat, ZkTimeoutError, zkCode } from './zk-client.js';
import { type ZkContext } from './zk-context.js';

export type Category = 'providers' | 'configurators';

/** The subscription a path belongs to. */
export interface PathOwner {
  readonly iface: string;
  /** Someone listens or waits: keep the path armed. */
  readonly wanted: boolean;
  /** A listing changed: recompute and tell listeners. */
  publish(): void;
  /** The listing cannot be read (ACL): reject whoever waits for it. */
  failWaiters(error: Error): void;
}

type RetryConfig = Pick<ResolvedZookeeperConfig, 'address' | 'retryDelayMs' | 'maxRetryDelayMs'>;

export class WatchedPath {
  state: PathStats['state'] = 'idle';
  watch: PathStats['watch'] = 'none';
  /** Last listing read under a watch; undefined when unknown or known to be stale. */
  children: string[] | undefined;
  /** Read refused by the ACL; not retried until someone subscribes again or a new session starts. */
  denied: RegistryError | undefined;
  getChildrenCalls = 0;
  existsCalls = 0;
  events = 0;
  /** An event arrived while arming: read once more when the current read ends. */
  private rearmPending = false;
  /** Increments per request, so a late answer to an abandoned request is ignored. */
  private seq = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 0;
  readonly watcher: (event: ZkEvent) => void;

  constructor(
    readonly path: string,
    readonly category: Category,
    private readonly owner: PathOwner,
    private readonly zk: ZkContext,
    private readonly config: RetryConfig,
  ) {
    // Created once: handing ZooKeeper this same function every time is what keeps one listener per path.
    this.watcher = (_event: ZkEvent) => this.onEvent();
  }

  /** A watch fired: re-arm once (or once more after the read in flight), unless nobody listens any more. */
  onEvent(): void {
    this.events++;
    if (this.zk.isClosing) {
      return;
    }
    if (this.state === 'arming') {
      this.rearmPending = true;
      return;
    }
    this.state = 'idle';
    this.watch = 'none';
    if (!this.owner.wanted) {
      // Retired: no re-arm, and what we had is now stale.
      this.children = undefined;
      return;
    }
    this.arm();
  }

  /** Reads the children with a watch; one request per path at a time, only while connected. */
  arm(): void {
    if (this.state === 'arming') {
      this.rearmPending = true;
      return;
    }
    const client = this.zk.client;
    this.state = 'idle';
    if (!this.zk.isLive || client === undefined) {
      return; // re-armed once connected (ZkSessionHooks.onLive)
    }
    this.clearRetry();
    this.state = 'arming';
    this.rearmPending = false;
    const seq = ++this.seq;
    this.getChildrenCalls++;
    this.zk.request<string[]>(`getChildren(${this.path})`, (cb) => client.getChildren(this.path, this.watcher, cb)).then(
      (children) => {
        if (seq === this.seq) {
          this.onListed(children ?? [], 'children');
        }
      },
      (error: unknown) => {
        if (seq !== this.seq) {
          return;
        }
        if (zkCode(error) === ZK.NO_NODE) {
          this.armExists(client);
          return;
        }
        this.onReadFailed(client, error);
      },
    );
  }

  /** Forgets any request in flight and returns to idle; the listing is kept only if asked. */
  reset(keepListing: boolean): void {
    this.seq++;
    this.state = 'idle';
    this.watch = 'none';
    this.rearmPending = false;
    this.denied = undefined;
    this.retryDelayMs = 0;
    this.clearRetry();
    if (!keepListing) {
      this.children = undefined;
    }
  }

  /** The path does not exist: wait for its creation with an existence watch (same function). */
  private armExists(client: ZkClient): void {
    if (client !== this.zk.client || !this.zk.isLive) {
      this.state = 'idle';
      return;
    }
    const seq = ++this.seq;
    this.state = 'arming';
    this.existsCalls++;
    this.zk.request<ZkStat | null>(`exists(${this.path})`, (cb) => client.exists(this.path, this.watcher, cb)).then(
      (stat) => {
        if (seq !== this.seq) {
          return;
        }
        if (stat) {
          // Created in between: read it (the data watch just set uses the same function).
          this.state = 'idle';
          this.arm();
          return;
        }
        this.onListed([], 'exists');
      },
      (error: unknown) => {
        if (seq === this.seq) {
          this.onReadFailed(client, error);
        }
      },
    );
  }

  private onListed(children: string[], watch: 'children' | 'exists'): void {
    this.state = 'armed';
    this.watch = watch;
    this.retryDelayMs = 0;
    this.children = children;
    if (this.rearmPending) {
      this.rearmPending = false;
      this.arm();
    }
    this.owner.publish();
  }

  private onReadFailed(client: ZkClient, error: unknown): void {
    this.state = 'idle';
    this.watch = 'none';
    if (zkCode(error) === ZK.NO_AUTH) {
      this.denied = new RegistryError(
        `ZooKeeper refused to list ${this.path} (NO_AUTH): the node's ACL needs other credentials; ` +
          "set registry.auth to the providers' digest credentials 'user:password'",
        { cause: error, context: { service: this.owner.iface, address: this.config.address } },
      );
      this.zk.logger.error(this.denied.message);
      this.owner.failWaiters(this.denied);
      return;
    }
    if (error instanceof ZkTimeoutError) {
      this.zk.logger.warn(`${error.message}; will read ${this.path} again after reconnecting`);
      this.zk.timedOut(client);
      return;
    }
    if (client !== this.zk.client || !this.zk.isLive) {
      return; // re-armed once connected (same session) or by the new client
    }
    // Still connected but failed: retry later on one timer per path, with a growing delay.
    this.retryDelayMs = Math.min(this.retryDelayMs === 0 ? this.config.retryDelayMs : this.retryDelayMs * 2, this.config.maxRetryDelayMs);
    this.zk.logger.warn(`reading ${this.path} failed (${(error as Error).message}); retrying in ${this.retryDelayMs} ms`);
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.state === 'idle' && this.owner.wanted) {
        this.arm();
      }
    }, this.retryDelayMs);
    this.retryTimer.unref();
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
  }
}
