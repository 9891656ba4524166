import { ConnectionError } from '../errors/connection.error.js';
import { DubboError } from '../errors/dubbo.error.js';
import { isOverloadRefusal } from '../transport/cheap-error.js';
import { type ClusterMode } from '../interfaces/dubbo-generic-options.interface.js';
import { annotateAttempts, type FailedAttempt } from './attempt-summary.js';
import { type Candidate, type LoadBalancer, type SelectContext } from './load-balance.js';

export interface ClusterCall<C extends Candidate, T> {
  mode: ClusterMode;
  /** Extra attempts after the first (failover only). */
  retries: number;
  balancer: LoadBalancer;
  context: SelectContext;
  /** Current usable candidates; read again before every attempt (the list may change meanwhile). */
  candidates(): readonly C[];
  /**
   * One attempt. `budgetMs` is set when the call already spent part of its deadline waiting for a
   * candidate: the attempt gets what is left of it.
   */
  attempt(candidate: C, attemptNo: number, budgetMs: number | undefined): Promise<T>;
  /** Error for "nothing to call", with context; `waitedMs` is how long the call waited for a candidate. */
  noProvider(tried: readonly string[], waitedMs: number): Error;
  /** Stops further attempts (the caller's AbortSignal, shutdown). */
  aborted?(): boolean;
  /**
   * When no candidate is usable: waits up to `ms` for one (a connection coming back, a provider
   * appearing) and resolves whether there may be one now. Rejects to end the call (abort).
   * Without it the call fails at once.
   */
  awaitCandidate?(ms: number): Promise<boolean>;
  /** Total time the call may wait for candidates (its deadline). @default 0 */
  waitBudgetMs?: number;
}

/** Whether another provider may succeed where this one failed: never after a business exception. */
export function isRetriable(err: unknown): boolean {
  return err instanceof DubboError && err.retriable;
}

/**
 * Runs a call with Dubbo's cluster semantics:
 * - failover: up to retries+1 attempts, each on a provider not tried yet when one is left (else the
 *   same one again, as Dubbo does), retrying only retriable failures (timeouts, connection loss,
 *   busy, a provider that does not export the service yet); never a business exception;
 *   the error reported is the last one from a provider that was reached, else the last one, with
 *   the attempts made in its context (and, after several, in its message);
 * - failfast: one attempt;
 * - failsafe: one attempt, failures resolve to null.
 * With no usable candidate the call waits for one within `waitBudgetMs` (e.g. the background
 * reconnect after a dropped connection) before it gives up with `noProvider`.
 */
export async function invokeCluster<C extends Candidate, T>(call: ClusterCall<C, T>): Promise<T | null> {
  const tried: string[] = [];
  const failures: FailedAttempt[] = [];
  const maxAttempts = call.mode === 'failover' ? call.retries + 1 : 1;
  const budget = call.waitBudgetMs ?? 0;
  let waited = 0;
  let lastError: unknown;
  // The last failure from a provider that was actually reached (a timeout, a busy pool…) says more
  // than a later refusal to connect to a provider that is gone.
  let lastReachedError: unknown;
  for (let attemptNo = 0; attemptNo < maxAttempts; attemptNo++) {
    if (attemptNo > 0 && call.aborted?.()) {
      break;
    }
    let all = call.candidates();
    // A wake-up that brings no candidate (the list changed, nobody reachable yet) waits on.
    let waitEnded = false;
    let waitFailed = false;
    while (all.length === 0 && call.awaitCandidate !== undefined && waited < budget && !waitEnded) {
      const started = performance.now();
      try {
        const maybe = await call.awaitCandidate(budget - waited);
        waited += performance.now() - started;
        waitEnded = !maybe;
        all = maybe ? call.candidates() : all;
      } catch (err) {
        lastError = err;
        waitFailed = true;
        waitEnded = true;
      }
    }
    if (waitFailed) {
      break;
    }
    if (all.length === 0) {
      lastError = lastError ?? call.noProvider(tried, Math.round(waited));
      break;
    }
    const fresh = tried.length === 0 ? all : all.filter((c) => !tried.includes(c.address));
    const pool = fresh.length > 0 ? fresh : all;
    const chosen = pool.length === 1 ? pool[0]! : call.balancer.select(pool, call.context);
    tried.push(chosen.address);
    try {
      return await call.attempt(chosen, attemptNo, waited > 0 ? Math.max(1, Math.round(budget - waited)) : undefined);
    } catch (err) {
      lastError = err;
      failures.push({ address: chosen.address, error: err });
      if (!(err instanceof ConnectionError)) {
        lastReachedError = err;
      }
      if (!isRetriable(err)) {
        break;
      }
      // A provider that refused for load at once refuses again at once: only another one may help.
      if (isOverloadRefusal(err) && all.every((c) => tried.includes(c.address))) {
        break;
      }
    }
  }
  if (call.mode === 'failsafe') {
    return null;
  }
  // Whatever the last attempt failed with (an AbortSignal's reason need not be an Error of this realm).
  const error = lastReachedError ?? lastError ?? call.noProvider(tried, Math.round(waited));
  annotateAttempts(error, failures);
  throw error;
}
