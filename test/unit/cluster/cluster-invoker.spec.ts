import { describe, expect, it } from '@jest/globals';
import { describeAttempts } from '../../../lib/cluster/attempt-summary.js';
import { invokeCluster } from '../../../lib/cluster/cluster-invoker.js';
import { RandomLoadBalancer } from '../../../lib/cluster/load-balance.js';
import { ConnectionClosedError, ConnectionError, NoProviderError, RemoteServiceError, RpcTimeoutError } from '../../../lib/errors/index.js';

const providers = [
  { address: 'a:1', weight: 100 },
  { address: 'b:1', weight: 100 },
  { address: 'c:1', weight: 100 },
];

function run(mode: 'failover' | 'failfast' | 'failsafe', outcomes: Record<string, () => Promise<string>>, retries = 2, list = providers) {
  const attempts: string[] = [];
  const result = invokeCluster({
    mode,
    retries,
    balancer: new RandomLoadBalancer(() => 0),
    context: { method: 'm', args: [] },
    candidates: () => list,
    attempt: (c) => {
      attempts.push(c.address);
      return outcomes[c.address]!();
    },
    noProvider: (tried) => new NoProviderError(`no provider (tried ${tried.join(',')})`),
  });
  return { attempts, result };
}

const ok = (v: string) => () => Promise.resolve(v);
const timeout = () => Promise.reject(new RpcTimeoutError(10, 'late'));
const closed = () => Promise.reject(new ConnectionClosedError('gone'));
const business = () => Promise.reject(new RemoteServiceError(20, { javaClass: 'x.BizException' }));

describe('invokeCluster', () => {
  it('failover retries non-business failures on providers not tried yet', async () => {
    const { attempts, result } = run('failover', { 'a:1': timeout, 'b:1': closed, 'c:1': ok('c') });
    await expect(result).resolves.toBe('c');
    expect(attempts).toEqual(['a:1', 'b:1', 'c:1']);
  });

  it('failover stops at retries + 1 attempts and rethrows the last error', async () => {
    const { attempts, result } = run('failover', { 'a:1': timeout, 'b:1': timeout, 'c:1': ok('c') }, 1);
    await expect(result).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(attempts).toEqual(['a:1', 'b:1']);
  });

  it('never retries a business exception', async () => {
    const { attempts, result } = run('failover', { 'a:1': business, 'b:1': ok('b'), 'c:1': ok('c') });
    await expect(result).rejects.toBeInstanceOf(RemoteServiceError);
    expect(attempts).toEqual(['a:1']);
  });

  it('reuses providers when every one was tried', async () => {
    const { attempts, result } = run('failover', { 'a:1': timeout }, 2, [providers[0]!]);
    await expect(result).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(attempts).toEqual(['a:1', 'a:1', 'a:1']);
  });

  it("reports a reached provider's failure rather than a later refusal to connect", async () => {
    const refused = () => Promise.reject(new ConnectionError('refused'));
    const { attempts, result } = run('failover', { 'a:1': timeout, 'b:1': refused, 'c:1': refused });
    await expect(result).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(attempts).toEqual(['a:1', 'b:1', 'c:1']);
  });

  it('failfast makes one attempt', async () => {
    const { attempts, result } = run('failfast', { 'a:1': timeout, 'b:1': ok('b') });
    await expect(result).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(attempts).toEqual(['a:1']);
  });

  it('failsafe resolves failures to null', async () => {
    const { attempts, result } = run('failsafe', { 'a:1': timeout, 'b:1': ok('b') });
    await expect(result).resolves.toBeNull();
    expect(attempts).toEqual(['a:1']);
  });

  it('answers NoProviderError when there is no candidate', async () => {
    const { attempts, result } = run('failover', {}, 2, []);
    await expect(result).rejects.toBeInstanceOf(NoProviderError);
    expect(attempts).toEqual([]);
  });
});

describe('describeAttempts', () => {
  it('says "each timed out" only when every attempt timed out with the same deadline', () => {
    expect(describeAttempts([{ address: 'a:1', error: new RpcTimeoutError(500, 'late') }])).toBe(
      '1 attempt on 1 provider, timed out after 500 ms',
    );
    const three = [1, 2, 3].map(() => ({ address: 'a:1', error: new RpcTimeoutError(500, 'late') }));
    expect(describeAttempts(three)).toBe('3 attempts on 1 provider, each timed out after 500 ms');
    expect(
      describeAttempts([
        { address: 'a:1', error: new RpcTimeoutError(500, 'late') },
        { address: 'b:1', error: new ConnectionError('refused') },
      ]),
    ).toBe('2 attempts on 2 providers: a:1 RPC_TIMEOUT, b:1 CONNECTION_FAILED');
  });
});

describe('invokeCluster waiting for a candidate', () => {
  it('waits within the budget, then calls the candidate that appeared with what is left of it', async () => {
    let list: typeof providers = [];
    const budgets: Array<number | undefined> = [];
    const result = invokeCluster({
      mode: 'failover',
      retries: 2,
      balancer: new RandomLoadBalancer(() => 0),
      context: { method: 'm', args: [] },
      candidates: () => list,
      waitBudgetMs: 1000,
      awaitCandidate: async () => {
        await new Promise((r) => setTimeout(r, 50));
        list = [providers[0]!];
        return true;
      },
      attempt: (_c, _n, budgetMs) => {
        budgets.push(budgetMs);
        return Promise.resolve('ok');
      },
      noProvider: () => new NoProviderError('none'),
    });
    await expect(result).resolves.toBe('ok');
    expect(budgets).toHaveLength(1);
    expect(budgets[0]).toBeGreaterThan(850);
    expect(budgets[0]).toBeLessThanOrEqual(955);
  });

  it('fails with noProvider (and how long it waited) when nothing appears', async () => {
    const result = invokeCluster({
      mode: 'failover',
      retries: 2,
      balancer: new RandomLoadBalancer(() => 0),
      context: { method: 'm', args: [] },
      candidates: () => [],
      waitBudgetMs: 100,
      awaitCandidate: (ms) => new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
      attempt: () => Promise.resolve('never'),
      noProvider: (_tried, waitedMs) =>
        new NoProviderError(`none after ${waitedMs >= 95 && waitedMs < 300 ? '~100' : String(waitedMs)} ms`),
    });
    await expect(result).rejects.toThrow('none after ~100 ms');
  });
});

describe('invokeCluster woken without a candidate', () => {
  it('keeps waiting within the budget until one appears', async () => {
    let wakes = 0;
    let list: typeof providers = [];
    const result = invokeCluster({
      mode: 'failover',
      retries: 0,
      balancer: new RandomLoadBalancer(() => 0),
      context: { method: 'm', args: [] },
      candidates: () => list,
      waitBudgetMs: 1000,
      awaitCandidate: async () => {
        await new Promise((r) => setTimeout(r, 10));
        // Two list changes that bring nobody reachable, then a provider.
        if (++wakes === 3) {
          list = [providers[1]!];
        }
        return true;
      },
      attempt: (c) => Promise.resolve(c.address),
      noProvider: () => new NoProviderError('none'),
    });
    await expect(result).resolves.toBe('b:1');
    expect(wakes).toBe(3);
  });
});
