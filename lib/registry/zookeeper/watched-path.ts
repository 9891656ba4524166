/**
 * One watched ZooKeeper path (`providers` or `configurators` of an interface), for the life of the
 * registry. It runs idle → arming → armed, re-armed once per event, and always hands ZooKeeper the
 * same watcher function: node-zookeeper-client de-duplicates watchers by identity only, so that is
 * what keeps one listener per path. At most one request per path at a time, only while connected.
 */
import { RegistryError } from '../../errors/index.js';
import { type PathStats } from '../registry.interface.js';
import { type ResolvedZookeeperConfig } from './config.js';
import { ZK, type ZkClient, type ZkEvent, type ZkStat, ZkTimeoutError, zkCode } from './zk-client.js';
import { type ZkContext } from './zk-context.js';

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
  private armState: PathStats['state'] = 'idle';
  private watchKind: PathStats['watch'] = 'none';
  private listing: string[] | undefined;
  /** Read refused by the ACL; not retried until someone subscribes again or a new session starts. */
  private denied: RegistryError | undefined;
  private getChildrenCalls = 0;
  private existsCalls = 0;
  private events = 0;
  /** An event arrived while arming: read once more when the current read ends. */
  private rearmPending = false;
  /** Increments per request, so a late answer to an abandoned request is ignored. */
  private seq = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 0;
  private readonly watcher: (event: ZkEvent) => void;

  constructor(
    readonly path: string,
    private readonly owner: PathOwner,
    private readonly zk: ZkContext,
    private readonly config: RetryConfig,
  ) {
    // Created once: handing ZooKeeper this same function every time is what keeps one listener per path.
    this.watcher = (_event: ZkEvent) => this.onEvent();
  }

  get state(): PathStats['state'] {
    return this.armState;
  }

  /** Last listing read under a watch; undefined when unknown or known to be stale. */
  get children(): readonly string[] | undefined {
    return this.listing;
  }

  /** Its line in the registry's stats, given the watcher functions the client holds for the path. */
  stats(clientWatcherFunctions: number): PathStats {
    return {
      state: this.armState,
      watch: this.watchKind,
      getChildrenCalls: this.getChildrenCalls,
      existsCalls: this.existsCalls,
      events: this.events,
      clientWatcherFunctions,
      children: this.listing?.length ?? 0,
    };
  }

  /** Connected: arm if idle, unless the ACL refused the last read. */
  resume(): void {
    if (this.armState === 'idle' && this.denied === undefined) {
      this.arm();
    }
  }

  /** Someone subscribes: try again even after an ACL refusal, and arm if idle. */
  demand(): void {
    this.denied = undefined;
    if (this.armState === 'idle') {
      this.arm();
    }
  }

  /** A watch fired: re-arm once (or once more after the read in flight), unless nobody listens any more. */
  private onEvent(): void {
    this.events++;
    if (this.zk.isClosing) {
      return;
    }
    if (this.armState === 'arming') {
      this.rearmPending = true;
      return;
    }
    this.armState = 'idle';
    this.watchKind = 'none';
    if (!this.owner.wanted) {
      // Retired: no re-arm, and what we had is now stale.
      this.listing = undefined;
      return;
    }
    this.arm();
  }

  /** Reads the children with a watch; one request per path at a time, only while connected. */
  private arm(): void {
    if (this.armState === 'arming') {
      this.rearmPending = true;
      return;
    }
    const client = this.zk.client;
    this.armState = 'idle';
    if (!this.zk.isLive || client === undefined) {
      return; // re-armed once connected (ZkSessionHooks.onLive)
    }
    this.clearRetry();
    this.armState = 'arming';
    this.rearmPending = false;
    const seq = ++this.seq;
    this.getChildrenCalls++;
    this.zk
      .request<string[]>(`getChildren(${this.path})`, (cb) => client.getChildren(this.path, this.watcher, cb))
      .then(
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
    this.armState = 'idle';
    this.watchKind = 'none';
    this.rearmPending = false;
    this.denied = undefined;
    this.retryDelayMs = 0;
    this.clearRetry();
    if (!keepListing) {
      this.listing = undefined;
    }
  }

  /** The path does not exist: wait for its creation with an existence watch (same function). */
  private armExists(client: ZkClient): void {
    if (client !== this.zk.client || !this.zk.isLive) {
      this.armState = 'idle';
      return;
    }
    const seq = ++this.seq;
    this.armState = 'arming';
    this.existsCalls++;
    this.zk
      .request<ZkStat | null>(`exists(${this.path})`, (cb) => client.exists(this.path, this.watcher, cb))
      .then(
        (stat) => {
          if (seq !== this.seq) {
            return;
          }
          if (stat) {
            // Created in between: read it (the data watch just set uses the same function).
            this.armState = 'idle';
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
    this.armState = 'armed';
    this.watchKind = watch;
    this.retryDelayMs = 0;
    this.listing = children;
    if (this.rearmPending) {
      this.rearmPending = false;
      this.arm();
    }
    this.owner.publish();
  }

  private onReadFailed(client: ZkClient, error: unknown): void {
    this.armState = 'idle';
    this.watchKind = 'none';
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
      if (this.armState === 'idle' && this.owner.wanted) {
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
