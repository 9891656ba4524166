import { describe, expect, it } from '@jest/globals';
import {
  effectiveWeight,
  LeastActiveLoadBalancer,
  RandomLoadBalancer,
  RoundRobinLoadBalancer,
  ShortestResponseLoadBalancer,
} from '../../../lib/cluster/load-balance.js';

const ctx = { method: 'echo', args: [] };

function seq(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('effectiveWeight (warm-up)', () => {
  const now = 1_000_000_000;
  it('is the weight once warm-up is over or without a timestamp', () => {
    expect(effectiveWeight({ address: 'a:1', weight: 100 }, now)).toBe(100);
    expect(effectiveWeight({ address: 'a:1', weight: 100, timestamp: now - 700_000 }, now)).toBe(100);
  });
  it('grows linearly during warm-up, at least 1', () => {
    expect(effectiveWeight({ address: 'a:1', weight: 100, timestamp: now - 300_000 }, now)).toBe(50);
    expect(effectiveWeight({ address: 'a:1', weight: 100, timestamp: now - 1 }, now)).toBe(1);
  });
  it('is 1 for a provider whose clock is ahead, 0 for negative weights', () => {
    expect(effectiveWeight({ address: 'a:1', weight: 100, timestamp: now + 5000 }, now)).toBe(1);
    expect(effectiveWeight({ address: 'a:1', weight: -5 }, now)).toBe(0);
  });
});

describe('RandomLoadBalancer', () => {
  it('picks by weight', () => {
    const lb = new RandomLoadBalancer(seq([0.1, 0.5, 0.95]), () => 0);
    const cands = [
      { address: 'a:1', weight: 20 },
      { address: 'b:1', weight: 80 },
    ];
    expect([lb.select(cands), lb.select(cands), lb.select(cands)].map((c) => c.address)).toEqual(['a:1', 'b:1', 'b:1']);
  });
  it('is uniform when weights are equal', () => {
    const lb = new RandomLoadBalancer(seq([0.1, 0.6]), () => 0);
    const cands = [
      { address: 'a:1', weight: 100 },
      { address: 'b:1', weight: 100 },
    ];
    expect(lb.select(cands).address).toBe('a:1');
    expect(lb.select(cands).address).toBe('b:1');
  });
  it('spreads calls in proportion to weight', () => {
    const lb = new RandomLoadBalancer();
    const cands = [
      { address: 'a:1', weight: 100 },
      { address: 'b:1', weight: 300 },
    ];
    let b = 0;
    for (let i = 0; i < 20000; i++) {
      b += lb.select(cands).address === 'b:1' ? 1 : 0;
    }
    expect(b / 20000).toBeGreaterThan(0.72);
    expect(b / 20000).toBeLessThan(0.78);
  });
});

describe('RoundRobinLoadBalancer', () => {
  it('is smooth weighted: 5:1:1 gives a a b a c a a', () => {
    const lb = new RoundRobinLoadBalancer(() => 0);
    const cands = [
      { address: 'a:1', weight: 5 },
      { address: 'b:1', weight: 1 },
      { address: 'c:1', weight: 1 },
    ];
    const picks = Array.from({ length: 7 }, () => lb.select(cands, ctx).address[0]).join('');
    expect(picks).toBe('aabacaa');
  });
  it('keeps separate state per method', () => {
    const lb = new RoundRobinLoadBalancer(() => 0);
    const cands = [
      { address: 'a:1', weight: 1 },
      { address: 'b:1', weight: 1 },
    ];
    expect(lb.select(cands, { method: 'x', args: [] }).address).toBe('a:1');
    expect(lb.select(cands, { method: 'y', args: [] }).address).toBe('a:1');
    expect(lb.select(cands, { method: 'x', args: [] }).address).toBe('b:1');
  });
});

describe('LeastActiveLoadBalancer and ShortestResponseLoadBalancer', () => {
  it('prefers the provider with fewest calls in flight', () => {
    const lb = new LeastActiveLoadBalancer(
      () => 0.99,
      () => 0,
    );
    expect(
      lb.select([
        { address: 'a:1', weight: 100, active: 3 },
        { address: 'b:1', weight: 100, active: 1 },
        { address: 'c:1', weight: 100, active: 2 },
      ]).address,
    ).toBe('b:1');
  });
  it('prefers the smallest latency × (active + 1)', () => {
    const lb = new ShortestResponseLoadBalancer(
      () => 0,
      () => 0,
    );
    expect(
      lb.select([
        { address: 'a:1', weight: 100, active: 0, avgLatencyMs: 10 },
        { address: 'b:1', weight: 100, active: 3, avgLatencyMs: 2 },
      ]).address,
    ).toBe('b:1');
  });
});
