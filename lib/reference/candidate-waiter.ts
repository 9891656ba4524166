import { type ConnectionLease } from '../transport/connection-pool.js';

/**
 * Lets calls of one reference wait, within their deadline, for a provider to become callable: one
 * of its connections coming back (the background reconnect after a dropped connection) or the
 * provider list changing. Every wait ends by itself (deadline, abort, wake, close): no timer or
 * listener outlives it.
 */
export class CandidateWaiter {
  private readonly waits = new Set<AbortController>();

  /**
   * Resolves true when one of `leases` is ready or the list changed (`wake`), false at the deadline
   * or on close; rejects with the signal's reason when `signal` aborts.
   */
  async wait(leases: readonly ConnectionLease[], ms: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) {
      throw signal.reason;
    }
    const controller = new AbortController();
    this.waits.add(controller);
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      const woken = new Promise<boolean>((resolve) =>
        controller.signal.addEventListener('abort', () => resolve(controller.signal.reason === WOKEN), { once: true }),
      );
      const deadline = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)));
      const ready = await Promise.race([woken, deadline, ...leases.map((l) => l.whenReady(ms, controller.signal))]);
      if (signal?.aborted) {
        throw signal.reason;
      }
      return ready;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Ends the other lease waits and their timers.
      controller.abort(DONE);
      this.waits.delete(controller);
    }
  }

  /** The provider list changed: every waiting call looks again. */
  wake(): void {
    for (const c of [...this.waits]) {
      c.abort(WOKEN);
    }
  }

  /** Ends every wait (false). */
  close(): void {
    for (const c of [...this.waits]) {
      c.abort(DONE);
    }
  }
}

const WOKEN = Symbol('woken');
const DONE = Symbol('done');
