import { describe, expect, it, jest } from '@jest/globals';
import { Deferred } from '../../../lib/utils/deferred.js';

describe('Deferred', () => {
  it('settles once: a later resolve or reject is ignored, and settled says so', async () => {
    const d = new Deferred<number>();
    expect(d.settled).toBe(false);
    d.resolve(1);
    d.resolve(2);
    d.reject(new Error('late'));
    expect(d.settled).toBe(true);
    await expect(d.promise).resolves.toBe(1);
  });

  it('rejects with the given error', async () => {
    const d = new Deferred<void>();
    const error = new Error('boom');
    d.reject(error);
    await expect(d.promise).rejects.toBe(error);
  });

  it('expires after the deadline when nothing settles it first, with an unref’d timer', () => {
    jest.useFakeTimers();
    try {
      const expired = jest.fn((self: Deferred<string>) => self.resolve('late'));
      const d = new Deferred<string>().expireAfter(100, expired);
      jest.advanceTimersByTime(99);
      expect(expired).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(expired).toHaveBeenCalledTimes(1);
      expect(expired).toHaveBeenCalledWith(d);
      expect(d.settled).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('clears its timer when settled first: expire never runs and no timer is left', () => {
    jest.useFakeTimers();
    try {
      const expired = jest.fn();
      const d = new Deferred<void>().expireAfter(100, expired);
      expect(jest.getTimerCount()).toBe(1);
      d.resolve();
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(1000);
      expect(expired).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not arm a deadline once settled, and a second deadline replaces the first', () => {
    jest.useFakeTimers();
    try {
      const first = jest.fn();
      const second = jest.fn();
      const d = new Deferred<void>().expireAfter(100, first).expireAfter(300, second);
      expect(jest.getTimerCount()).toBe(1);
      jest.advanceTimersByTime(300);
      expect(first).not.toHaveBeenCalled();
      expect(second).toHaveBeenCalledTimes(1);
      d.resolve();
      d.expireAfter(10, first);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('runs every cleanup exactly once however it settles, and at once when added after', () => {
    const order: string[] = [];
    const d = new Deferred<void>().onSettled(() => order.push('a')).onSettled(() => order.push('b'));
    expect(order).toEqual([]);
    d.reject(new Error('x'));
    d.promise.catch(() => undefined);
    d.resolve();
    expect(order).toEqual(['a', 'b']);
    d.onSettled(() => order.push('c'));
    expect(order).toEqual(['a', 'b', 'c']);
  });
});
