/**
 * Load balancers, with Dubbo's semantics (weights, warm-up), over whatever candidates the reference
 * passes in. Pure apart from the random source and the clock, both injectable for tests.
 */

/** What a balancer needs to know about one provider. */
export interface Candidate {
  /** `host:port`, unique among candidates. */
  readonly address: string;
  /** Configured weight (Dubbo default 100). */
  readonly weight: number;
  /** Provider start time in ms (URL `timestamp`), for warm-up. */
  readonly timestamp?: number;
  /** Warm-up duration in ms (URL `warmup`, default 10 minutes). */
  readonly warmupMs?: number;
  /** Calls in flight to this provider, counted by the caller. */
  readonly active?: number;
  /** Average latency of recent successful calls, in ms. */
  readonly avgLatencyMs?: number;
}

export interface SelectContext {
  /** Real method name (not `$invoke`): per-method state is keyed by it. */
  method: string;
  args: readonly unknown[];
}

export interface LoadBalancer {
  select<C extends Candidate>(candidates: readonly C[], ctx: SelectContext): C;
}

/** Dubbo's defaults for a provider URL without `weight` / `warmup` (AbstractLoadBalance's, in Java). */
export const DEFAULT_WEIGHT = 100;
export const DEFAULT_WARMUP_MS = 10 * 60 * 1000;

/** Dubbo's warm-up: a fresh provider's weight grows linearly from 1 to its weight over `warmup`. */
export function effectiveWeight(c: Candidate, now: number): number {
  const weight = Math.max(0, c.weight);
  if (weight === 0 || c.timestamp === undefined || c.timestamp <= 0) {
    return weight;
  }
  const uptime = now - c.timestamp;
  if (uptime < 0) {
    return 1;
  }
  const warmup = c.warmupMs ?? DEFAULT_WARMUP_MS;
  if (uptime > 0 && uptime < warmup) {
    return Math.min(weight, Math.max(1, Math.floor(uptime / (warmup / weight))));
  }
  return weight;
}

function pickWeighted<C extends Candidate>(candidates: readonly C[], weights: readonly number[], random: () => number): C {
  let total = 0;
  let same = true;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i]!;
    same &&= weights[i] === weights[0];
  }
  if (total > 0 && !same) {
    let r = random() * total;
    for (let i = 0; i < candidates.length; i++) {
      r -= weights[i]!;
      if (r < 0) {
        return candidates[i]!;
      }
    }
  }
  return candidates[Math.floor(random() * candidates.length)]!;
}

export class RandomLoadBalancer implements LoadBalancer {
  constructor(
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  select<C extends Candidate>(candidates: readonly C[]): C {
    if (candidates.length === 1) {
      return candidates[0]!;
    }
    const now = this.now();
    return pickWeighted(
      candidates,
      candidates.map((c) => effectiveWeight(c, now)),
      this.random,
    );
  }
}

/** Smooth weighted round robin (nginx style), state per method; idle state is dropped. */
export class RoundRobinLoadBalancer implements LoadBalancer {
  private readonly state = new Map<string, { current: Map<string, number>; touched: number }>();
  private static readonly IDLE_MS = 60_000;

  constructor(private readonly now: () => number = Date.now) {}

  select<C extends Candidate>(candidates: readonly C[], ctx: SelectContext): C {
    const now = this.now();
    let entry = this.state.get(ctx.method);
    if (!entry) {
      entry = { current: new Map(), touched: now };
      this.state.set(ctx.method, entry);
    }
    entry.touched = now;
    let total = 0;
    let best: C | undefined;
    let bestCurrent = -Infinity;
    const live = new Set<string>();
    for (const c of candidates) {
      const w = effectiveWeight(c, now);
      total += w;
      live.add(c.address);
      const cur = (entry.current.get(c.address) ?? 0) + w;
      entry.current.set(c.address, cur);
      if (cur > bestCurrent) {
        bestCurrent = cur;
        best = c;
      }
    }
    for (const address of entry.current.keys()) {
      if (!live.has(address)) {
        entry.current.delete(address);
      }
    }
    const chosen = best ?? candidates[0]!;
    entry.current.set(chosen.address, (entry.current.get(chosen.address) ?? 0) - total);
    this.sweep(now);
    return chosen;
  }

  private sweep(now: number): void {
    for (const [method, entry] of this.state) {
      if (now - entry.touched > RoundRobinLoadBalancer.IDLE_MS) {
        this.state.delete(method);
      }
    }
  }
}

/** Lowest score wins; ties are broken by weighted random. */
abstract class LowestScoreLoadBalancer implements LoadBalancer {
  constructor(
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  protected abstract score(c: Candidate): number;

  select<C extends Candidate>(candidates: readonly C[]): C {
    let best = Infinity;
    const ties: C[] = [];
    for (const c of candidates) {
      const s = this.score(c);
      if (s < best) {
        best = s;
        ties.length = 0;
      }
      if (s === best) {
        ties.push(c);
      }
    }
    if (ties.length === 1) {
      return ties[0]!;
    }
    const now = this.now();
    return pickWeighted(
      ties,
      ties.map((c) => effectiveWeight(c, now)),
      this.random,
    );
  }
}

/** Fewest calls in flight. */
export class LeastActiveLoadBalancer extends LowestScoreLoadBalancer {
  protected score(c: Candidate): number {
    return c.active ?? 0;
  }
}

/** Smallest estimated wait: average latency × (active + 1). */
export class ShortestResponseLoadBalancer extends LowestScoreLoadBalancer {
  protected score(c: Candidate): number {
    return (c.avgLatencyMs ?? 0) * ((c.active ?? 0) + 1);
  }
}
