import { describe, expect, it } from '@jest/globals';
import { ReferenceCache } from '../../../lib/reference/reference-cache.js';

describe('ReferenceCache', () => {
  it('shares one creation among concurrent first requests', async () => {
    let resolveCreate!: (v: { key: string }) => void;
    let calls = 0;
    const cache = new ReferenceCache<{ key: string }>({
      create: (key) => {
        calls++;
        return new Promise((r) => (resolveCreate = () => r({ key })));
      },
      destroy: () => undefined,
    });
    const all = Array.from({ length: 100 }, () => cache.get('k'));
    resolveCreate({ key: 'k' });
    const values = await Promise.all(all);
    expect(calls).toBe(1);
    expect(new Set(values).size).toBe(1);
    expect(cache.peek('k')).toBe(values[0]);
    await cache.close();
  });

  it('does not cache a failed creation', async () => {
    let n = 0;
    const cache = new ReferenceCache<number>({
      create: async () => {
        n++;
        if (n === 1) {
          throw new Error('first fails');
        }
        return n;
      },
      destroy: () => undefined,
    });
    await expect(cache.get('k')).rejects.toThrow('first fails');
    await expect(cache.get('k')).resolves.toBe(2);
    await expect(cache.get('k')).resolves.toBe(2);
    expect(cache.created).toBe(2);
    await cache.close();
  });

  it('releases idle entries through destroy and recreates them on demand', async () => {
    let now = 0;
    const destroyed: string[] = [];
    const cache = new ReferenceCache<string>({
      create: async (key) => `v-${key}`,
      destroy: (v) => void destroyed.push(v),
      idleMs: 1000,
      now: () => now,
    });
    await cache.get('a');
    await cache.get('b');
    now = 600;
    cache.peek('b');
    now = 1200;
    expect(await cache.sweep()).toBe(1);
    expect(destroyed).toEqual(['v-a']);
    expect(cache.keys()).toEqual(['b']);
    now = 1700;
    expect(await cache.sweep()).toBe(1);
    expect(cache.size).toBe(0);
    await cache.get('a');
    expect(cache.created).toBe(3);
    await cache.close();
    expect(destroyed).toEqual(['v-a', 'v-b', 'v-a']);
  });

  it('destroys everything on close, including creations under way, and refuses new gets', async () => {
    const destroyed: string[] = [];
    let finish!: () => void;
    const cache = new ReferenceCache<string>({
      create: (key) => new Promise((r) => (finish = () => r(key))),
      destroy: (v) => void destroyed.push(v),
    });
    const pending = cache.get('x');
    const closing = cache.close();
    finish();
    await closing;
    await pending;
    expect(destroyed).toEqual(['x']);
    await expect(cache.get('y')).rejects.toThrow('closed');
  });
});
