import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { getEventListeners } from 'node:events';
import { ConnectionClosedError } from '../../../lib/errors/connection-closed.error.js';
import { RpcTimeoutError } from '../../../lib/errors/rpc-timeout.error.js';
import { PendingRequests } from '../../../lib/transport/pending-requests.js';

const CONTEXT = { service: 'org.apache.dubbo.test.EchoService', method: 'echo', address: '127.0.0.1:20880' };

// Fake timers for the deadlines; setImmediate stays real so a test can stand between the deadline
// timer and the look that runs after pending I/O.
beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['setImmediate', 'clearImmediate'] });
});
afterEach(() => {
  jest.useRealTimers();
});

const afterPendingIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PendingRequests', () => {
  it('resolves a call by id once; a second reply for the id is refused', async () => {
    const pending = new PendingRequests();
    const call = pending.add(1, 3000, CONTEXT);
    expect(pending.size).toBe(1);
    expect(pending.has(1)).toBe(true);
    expect(pending.context(1)).toBe(CONTEXT);
    expect(pending.timeoutOf(1)).toBe(3000);
    expect(pending.resolve(1, 'value')).toBe(true);
    await expect(call).resolves.toBe('value');
    expect(pending.resolve(1, 'again')).toBe(false);
    expect(pending.reject(1, new Error('late'))).toBe(false);
    expect(pending.size).toBe(0);
    expect(pending.context(1)).toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects a call by id with the given error, and clears its deadline', async () => {
    const pending = new PendingRequests();
    const call = pending.add(7, 3000, CONTEXT);
    const error = new Error('remote');
    expect(pending.reject(7, error)).toBe(true);
    await expect(call).rejects.toBe(error);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('times out at the deadline with RpcTimeoutError (RPC_TIMEOUT) naming the call, after pending I/O', async () => {
    const pending = new PendingRequests();
    const outcome = pending.add(3, 100, CONTEXT).catch((e: unknown) => e);
    jest.advanceTimersByTime(99);
    await afterPendingIo();
    expect(pending.has(3)).toBe(true);
    jest.advanceTimersByTime(1);
    await afterPendingIo();
    expect(pending.size).toBe(0);
    const error = (await outcome) as RpcTimeoutError;
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect(error.code).toBe('RPC_TIMEOUT');
    expect(error.timeoutMs).toBe(100);
    expect(error.message).toBe(
      'No reply to org.apache.dubbo.test.EchoService.echo on 127.0.0.1:20880 within 100 ms; the provider may still run it',
    );
    expect(error.context).toBe(CONTEXT);
  });

  it('a reply read between the deadline timer and the look after I/O still wins', async () => {
    const pending = new PendingRequests();
    const call = pending.add(4, 100, CONTEXT);
    jest.advanceTimersByTime(100);
    expect(pending.resolve(4, 'just in time')).toBe(true);
    await afterPendingIo();
    await expect(call).resolves.toBe('just in time');
  });

  it('a call without a finite positive deadline has no timer', async () => {
    const pending = new PendingRequests();
    const calls = [pending.add(1, 0, CONTEXT), pending.add(2, Number.POSITIVE_INFINITY, CONTEXT), pending.add(3, -5, CONTEXT)];
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(1e9);
    await afterPendingIo();
    expect(pending.size).toBe(3);
    pending.failAll((context) => new ConnectionClosedError('closed', { context }));
    for (const c of calls) {
      await expect(c).rejects.toBeInstanceOf(ConnectionClosedError);
    }
  });

  it('rejects with the abort reason when the signal fires, and leaves no listener once settled', async () => {
    const pending = new PendingRequests();
    const ac = new AbortController();
    const aborted = pending.add(1, 3000, CONTEXT, ac.signal);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    const reason = new Error('user gave up');
    ac.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    expect(pending.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);

    const other = new AbortController();
    const answered = pending.add(2, 3000, CONTEXT, other.signal);
    pending.resolve(2, 'done');
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    other.abort();
    await expect(answered).resolves.toBe('done');
  });

  it('an abort without a reason rejects with an AbortError DOMException', async () => {
    const pending = new PendingRequests();
    const signal = { aborted: false, reason: undefined, listeners: [] as Array<() => void> };
    const fakeSignal = {
      get aborted() {
        return signal.aborted;
      },
      get reason() {
        return signal.reason;
      },
      addEventListener: (_: string, fn: () => void) => signal.listeners.push(fn),
      removeEventListener: () => undefined,
    } as unknown as AbortSignal;
    const call = pending.add(1, 3000, CONTEXT, fakeSignal);
    signal.aborted = true;
    signal.listeners[0]!();
    const error = (await call.catch((e: unknown) => e)) as DOMException;
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe('AbortError');
    expect(error.message).toBe('The call was aborted');
  });

  it('failAll rejects every call at once with an error built from its own context, and clears every timer', async () => {
    const pending = new PendingRequests();
    const contexts = [1, 2, 3].map((requestId) => ({ ...CONTEXT, requestId }));
    const calls = contexts.map((context, i) => pending.add(i + 1, 30_000, context));
    expect(jest.getTimerCount()).toBe(3);
    const made: unknown[] = [];
    pending.failAll((context) => {
      made.push(context);
      return new ConnectionClosedError(`closed ${String(context.requestId)}`, { context });
    });
    expect(made).toEqual(contexts);
    expect(pending.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    const errors = (await Promise.all(calls.map((c) => c.catch((e: unknown) => e)))) as ConnectionClosedError[];
    expect(errors.map((e) => [e.code, e.message, e.context.requestId])).toEqual([
      ['CONNECTION_CLOSED', 'closed 1', 1],
      ['CONNECTION_CLOSED', 'closed 2', 2],
      ['CONNECTION_CLOSED', 'closed 3', 3],
    ]);
    // Nothing left: another failAll builds no error.
    pending.failAll(() => {
      throw new Error('must not be called');
    });
  });
});
