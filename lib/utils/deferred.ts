/**
 * A promise settled from outside, exactly once, with an optional deadline. It replaces the
 * hand-written "waiter + timer + cleanup" block: the timer is cleared and the cleanup runs however
 * the promise settles (resolve, reject or expiry), so nothing outlives it.
 */
export class Deferred<T> {
  readonly promise: Promise<T>;
  private resolvePromise!: (value: T) => void;
  private rejectPromise!: (error: unknown) => void;
  private done = false;
  private timer: NodeJS.Timeout | undefined;
  private cleanups: Array<() => void> | undefined;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
  }

  get settled(): boolean {
    return this.done;
  }

  resolve(value: T): void {
    if (this.finish()) {
      this.resolvePromise(value);
    }
  }

  reject(error: unknown): void {
    if (this.finish()) {
      this.rejectPromise(error);
    }
  }

  /**
   * Unless settled first, calls `expire` after `ms` (which should settle it). The timer is unref'd:
   * a deadline never keeps the process alive on its own.
   */
  expireAfter(ms: number, expire: (self: this) => void): this {
    if (!this.done) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        expire(this);
      }, ms);
      this.timer.unref();
    }
    return this;
  }

  /** Runs `cleanup` once when the promise settles, however; at once if it already has. */
  onSettled(cleanup: () => void): this {
    if (this.done) {
      cleanup();
    } else {
      (this.cleanups ??= []).push(cleanup);
    }
    return this;
  }

  private finish(): boolean {
    if (this.done) {
      return false;
    }
    this.done = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const cleanups = this.cleanups;
    this.cleanups = undefined;
    cleanups?.forEach((c) => c());
    return true;
  }
}
