import { describe, expect, it } from '@jest/globals';
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

  it('reports a reached provider\'s failure rather than a later refusal to connect', async () => {
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
    const { result } = run('failsafe', { 'a:1': business });
    await expect(result).resolves.toBeNull();
  });

  it('answers NoProviderError when there is no candidate', async () => {
    const { attempts, result } = run('failover', {}, 2, []);
    await expect(result).rejects.toBeInstanceOf(NoProviderError);
    expect(attempts).toEqual([]);
  });
});
