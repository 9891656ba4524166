import { ConnectionError } from '../errors/connection.error.js';
import { DubboError } from '../errors/dubbo.error.js';
import { type ClusterMode } from '../interfaces/dubbo-generic-options.interface.js';
import { type Candidate, type LoadBalancer, type SelectContext } from './load-balance.js';

export interface ClusterCall<C extends Candidate, T> {
  mode: ClusterMode;
  /** Extra attempts after the first (failover only). */
  retries: number;
  balancer: LoadBalancer;
  context: SelectContext;
  /** Current usable candidates; read again before every attempt (the list may change meanwhile). */
  candidates(): readonly C[];
  attempt(candidate: C, attemptNo: number): Promise<T>;
  /** Error for "nothing to call", with context. */
  noProvider(tried: readonly string[], last?: unknown): Error;
  /** Stops further attempts (the caller's AbortSignal, shutdown). */
  aborted?(): boolean;
}

/** Whether another provider may succeed where this one failed: never after a business exception. */
export function isRetriable(err: unknown): boolean {
  return err instanceof DubboError && err.retriable;
}

/**
 * Runs a call with Dubbo's cluster semantics:
 * - failover: up to retries+1 attempts, each on a provider not tried yet when one is left, retrying
 *   only non-business failures (timeouts, connection loss, busy, no connection);
 *   the error reported is the last one from a provider that was reached, else the last one;
 * - failfast: one attempt;
 * - failsafe: one attempt, failures resolve to null.
 */
export async function invokeCluster<C extends Candidate, T>(call: ClusterCall<C, T>): Promise<T | null> {
  const tried: string[] = [];
  const maxAttempts = call.mode === 'failover' ? call.retries + 1 : 1;
  let lastError: unknown;
  // The last failure from a provider that was actually reached (a timeout, a busy pool…) says more
  // than a later refusal to connect to a provider that is gone.
  let lastReachedError: unknown;
  for (let attemptNo = 0; attemptNo < maxAttempts; attemptNo++) {
    if (attemptNo > 0 && call.aborted?.()) {
      break;
    }
    const all = call.candidates();
    if (all.length === 0) {
      lastError = lastError ?? call.noProvider(tried);
      break;
    }
    const fresh = tried.length === 0 ? all : all.filter((c) => !tried.includes(c.address));
    const pool = fresh.length > 0 ? fresh : all;
    const chosen = pool.length === 1 ? pool[0]! : call.balancer.select(pool, call.context);
    tried.push(chosen.address);
    try {
      return await call.attempt(chosen, attemptNo);
    } catch (err) {
      lastError = err;
      if (!(err instanceof ConnectionError)) {
        lastReachedError = err;
      }
      if (!isRetriable(err)) {
        break;
      }
    }
  }
  if (call.mode === 'failsafe') {
    return null;
  }
  // Whatever the last attempt failed with (an AbortSignal's reason need not be an Error of this realm).
  throw lastReachedError ?? lastError ?? call.noProvider(tried);
}
