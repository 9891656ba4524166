export interface BackoffOptions {
  /** Delay before the first retry. @default 100 */
  baseMs?: number;
  /** Largest delay. @default 30000 */
  maxMs?: number;
}

/**
 * Capped exponential backoff with "equal jitter": half of the exponential step is fixed, half random,
 * so retries spread out but never come back sooner than half the step. `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = options.baseMs ?? 100;
  const max = options.maxMs ?? 30000;
  const step = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + random() * (step / 2));
}
