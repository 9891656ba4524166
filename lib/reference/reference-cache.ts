export interface ReferenceCacheOptions<V, I = undefined> {
  /** `identity` is what the caller passed to `get`: the parts the key was built from, never re-parsed. */
  create(key: string, identity: I | undefined): Promise<V>;
  destroy(value: V, key: string): Promise<void> | void;
  /** Release entries unused for this long; 0 disables. */
  idleMs?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

interface Entry<V> {
  promise: Promise<V>;
  value: V | undefined;
  lastUsed: number;
}

/**
 * One value per key, created once: concurrent first requests share one creation promise, and a
 * failed creation is not cached (the next request tries again — the failure itself must therefore
 * never hold a registry subscription; references keep theirs and answer NoProviderError instead).
 *
 * With `idleMs > 0`, an entry unused for that long is released through `destroy`, so a process that
 * touches an unbounded set of keys still holds a bounded number of values.
 */
export class ReferenceCache<V, I = undefined> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly now: () => number;
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;
  private creations = 0;

  private readonly tracksIdle: boolean;

  constructor(private readonly options: ReferenceCacheOptions<V, I>) {
    this.now = options.now ?? Date.now;
    this.tracksIdle = (options.idleMs ?? 0) > 0;
  }

  /** Number of `create` calls so far: equals distinct keys unless entries were released. */
  get created(): number {
    return this.creations;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether the key has an entry (created or being created). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** The value if created already (no promise hop on the hot path). */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.value !== undefined) {
      // Only idle release reads lastUsed: skip the clock on the hot path when it is off.
      if (this.tracksIdle) {
        entry.lastUsed = this.now();
      }
      return entry.value;
    }
    return undefined;
  }

  get(key: string, identity?: I): Promise<V> {
    if (this.closed) {
      return Promise.reject(new Error('reference cache is closed'));
    }
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      existing.lastUsed = this.now();
      return existing.promise;
    }
    this.creations++;
    const entry: Entry<V> = { promise: this.options.create(key, identity), value: undefined, lastUsed: this.now() };
    this.entries.set(key, entry);
    entry.promise.then(
      (value) => {
        entry.value = value;
      },
      () => {
        if (this.entries.get(key) === entry) {
          this.entries.delete(key);
        }
      },
    );
    this.armSweeper();
    return entry.promise;
  }

  /** Releases entries idle for longer than idleMs; returns how many. */
  async sweep(): Promise<number> {
    const idleMs = this.options.idleMs ?? 0;
    if (idleMs <= 0) {
      return 0;
    }
    const cutoff = this.now() - idleMs;
    const stale: Array<[string, V]> = [];
    for (const [key, entry] of this.entries) {
      if (entry.value !== undefined && entry.lastUsed <= cutoff) {
        this.entries.delete(key);
        stale.push([key, entry.value]);
      }
    }
    await Promise.all(stale.map(([key, value]) => this.options.destroy(value, key)));
    if (this.entries.size === 0) {
      this.disarmSweeper();
    }
    return stale.length;
  }

  /** Destroys every entry (waiting for creations under way) and refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    this.disarmSweeper();
    const all = [...this.entries];
    this.entries.clear();
    await Promise.all(
      all.map(async ([key, entry]) => {
        const value = await entry.promise.catch(() => undefined);
        if (value !== undefined) {
          await this.options.destroy(value, key);
        }
      }),
    );
  }

  private armSweeper(): void {
    const idleMs = this.options.idleMs ?? 0;
    if (idleMs <= 0 || this.sweeper !== undefined) {
      return;
    }
    this.sweeper = setInterval(() => void this.sweep(), Math.max(1000, Math.floor(idleMs / 2)));
    this.sweeper.unref();
  }

  private disarmSweeper(): void {
    if (this.sweeper !== undefined) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
