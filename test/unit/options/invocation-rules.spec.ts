import { describe, expect, it } from '@jest/globals';
import { DubboConfigError } from '../../../lib/errors/index.js';
import { checkInvocation, INVOCATION_LIMITS, RESERVED_ATTACHMENT_KEYS } from '../../../lib/options/invocation-rules.js';
import { nearestKey } from '../../../lib/utils/nearest-key.js';

const ok = { service: 'com.acme.Greeter', method: 'greet', parameterTypes: ['java.lang.String'], args: ['x'] };

function violation(patch: Record<string, unknown>): DubboConfigError {
  const err = checkInvocation({ ...ok, ...patch });
  expect(err).toBeInstanceOf(DubboConfigError);
  expect(err!.code).toBe('CONFIG_INVALID');
  return err!;
}

describe('checkInvocation', () => {
  it('passes a well-formed call, with every optional field', () => {
    expect(checkInvocation(ok)).toBeUndefined();
    const controller = new AbortController();
    expect(
      checkInvocation({
        ...ok,
        version: '1.0.0-SNAPSHOT',
        group: 'a,b',
        timeoutMs: 2 ** 31 - 1,
        retries: 100,
        attachments: { traceId: 'abc' },
        signal: controller.signal,
      }),
    ).toBeUndefined();
    expect(checkInvocation({ ...ok, parameterTypes: null })).toBeUndefined();
    expect(checkInvocation({ ...ok, parameterTypes: ['[Ljava.lang.String;'], args: [[]] })).toBeUndefined();
    expect(checkInvocation({ ...ok, parameterTypes: ['int[][]', '[I'], args: [[], []] })).toBeUndefined();
  });

  it.each([
    [{ version: '1.0.0/evil' }, 'version'],
    [{ version: '1.0.0:x' }, 'version'],
    [{ version: '1,2' }, 'version'],
    [{ version: '1.0\n' }, 'version'],
    [{ version: '1.0\u200b' }, 'version'],
    [{ version: 'v'.repeat(129) }, 'version'],
    [{ version: 1 }, 'version'],
    [{ group: 'a/b' }, 'group'],
    [{ group: 'a:b' }, 'group'],
    [{ group: 'a b' }, 'group'],
    [{ group: 'a&x=1' }, 'group'],
    [{ service: 'com.acme.Hostile:1.0.0' }, 'service'],
    [{ service: 'g/com.acme.X' }, 'service'],
    [{ service: 'a'.repeat(257) }, 'service'],
    [{ service: '' }, 'service'],
    [{ method: 'get x' }, 'method'],
    [{ method: 'get.x' }, 'method'],
    [{ method: '' }, 'method'],
    [{ method: 'm'.repeat(257) }, 'method'],
    [{ args: 'x' }, 'args'],
    [{ args: new Array(256), parameterTypes: null }, 'args'],
    [{ parameterTypes: 'java.lang.String' }, 'parameterTypes'],
    [{ parameterTypes: [] }, 'parameterTypes'],
    [{ parameterTypes: ['java.util.List<java.lang.String>'] }, 'parameterTypes[0]'],
    [{ parameterTypes: ['java lang'] }, 'parameterTypes[0]'],
    [{ parameterTypes: [5] }, 'parameterTypes[0]'],
    [{ timeoutMs: 2 ** 31 }, 'timeoutMs'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ timeoutMs: 1.5 }, 'timeoutMs'],
    [{ timeoutMs: '100' }, 'timeoutMs'],
    [{ retries: '2' }, 'retries'],
    [{ retries: 1e9 }, 'retries'],
    [{ retries: -1 }, 'retries'],
    [{ retries: Number.NaN }, 'retries'],
    [{ signal: {} }, 'signal'],
    [{ signal: 'abort' }, 'signal'],
    [{ attachments: 'ab' }, 'attachments'],
    [{ attachments: ['a'] }, 'attachments'],
    [{ attachments: new Map([['a', 'b']]) }, 'attachments'],
    [{ attachments: { n: 1 } }, 'attachments.n'],
    [{ attachments: { o: { a: 1 } } }, 'attachments.o'],
    [{ attachments: { '': 'x' } }, 'attachments'],
    [{ attachments: { 'a\u0000': 'x' } }, 'attachments'],
    [{ attachments: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])) }, 'attachments'],
    [{ attachments: { big: 'x'.repeat(INVOCATION_LIMITS.maxAttachmentChars) } }, 'attachments'],
    [{ timeout: 100 }, 'timeout'],
  ])('refuses %p naming %s', (patch, key) => {
    expect(violation(patch).key).toBe(key);
  });

  it('refuses every reserved attachment key, whatever its case', () => {
    for (const key of RESERVED_ATTACHMENT_KEYS) {
      expect(violation({ attachments: { [key]: 'x' } }).key).toBe(`attachments.${key}`);
      expect(violation({ attachments: { [key.toUpperCase()]: 'x' } }).key).toBe(`attachments.${key.toUpperCase()}`);
    }
    expect(violation({ attachments: { 'sys_callback_arg-1': 'x' } }).key).toBe('attachments.sys_callback_arg-1');
    expect(violation({ attachments: { path: 'com.acme.Other' } }).message).toMatch(/reserved/);
  });

  it('suggests the nearest field for a typo', () => {
    expect(violation({ timeout: 100 }).message).toMatch(/did you mean 'timeoutMs'\?/);
    expect(violation({ paramterTypes: [] }).message).toMatch(/did you mean 'parameterTypes'\?/);
    expect(violation({ zzzzzz: 1 }).message).toMatch(/valid: 'service', 'version'/);
  });

  it('is not fooled by non-objects and prototypes', () => {
    expect(checkInvocation(null)!.key).toBe('invocation');
    expect(checkInvocation([ok])!.key).toBe('invocation');
    expect(checkInvocation('x')!.key).toBe('invocation');
    const inherited = Object.create({ attachments: { path: 'x' } }) as Record<string, unknown>;
    Object.assign(inherited, ok);
    // An inherited field is read by the call like an own one, so it is checked like one.
    expect(checkInvocation(inherited)!.key).toBe('attachments.path');
    const polluted = JSON.parse('{"__proto__": {"path": "x"}}') as Record<string, unknown>;
    expect(violation({ attachments: polluted }).key).toBe('attachments.__proto__');
  });

  it('accepts an AbortSignal look-alike of another realm', () => {
    const foreign = { aborted: false, addEventListener: () => undefined, removeEventListener: () => undefined };
    expect(checkInvocation({ ...ok, signal: foreign })).toBeUndefined();
  });
});

describe('nearestKey', () => {
  it('finds typos and prefixes, and nothing for strangers', () => {
    expect(nearestKey('timout', ['timeoutMs', 'retries'])).toBe('timeoutMs');
    expect(nearestKey('retires', ['timeoutMs', 'retries'])).toBe('retries');
    expect(nearestKey('defaults.timeout', ['defaults.timeoutMs'])).toBe('defaults.timeoutMs');
    expect(nearestKey('banana', ['timeoutMs', 'retries'])).toBeUndefined();
  });
});
