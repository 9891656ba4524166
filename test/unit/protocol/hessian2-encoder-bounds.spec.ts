import { describe, expect, it } from '@jest/globals';
import { MAX_DEPTH } from '../../../lib/protocol/hessian/container-writer.js';
import { declaredType } from '../../../lib/protocol/hessian/declared-type.js';
import { PayloadLimitError, ValueEncodeError } from '../../../lib/protocol/hessian/encode-errors.js';
import { Hessian2Decoder } from '../../../lib/protocol/hessian/hessian2-decoder.js';
import { Hessian2Encoder } from '../../../lib/protocol/hessian/hessian2-encoder.js';

const hex = (b: Buffer): string => b.toString('hex');

function declared(value: unknown, javaType: string): Buffer {
  return new Hessian2Encoder().writeDeclared(value, declaredType(javaType)).toBuffer();
}

function failure(run: () => unknown): ValueEncodeError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ValueEncodeError);
    return err as ValueEncodeError;
  }
  throw new Error('expected a ValueEncodeError');
}

function elapsedMs(run: () => void): number {
  const t = performance.now();
  run();
  return performance.now() - t;
}

describe('byte budget', () => {
  it('stops at the first byte over the limit, not after encoding everything', () => {
    const enc = new Hessian2Encoder(64).begin(0, [], 100);
    let caught: unknown;
    try {
      enc.write(Array.from({ length: 1000 }, (_, i) => i));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PayloadLimitError);
    expect((caught as PayloadLimitError).limit).toBe(100);
    // The buffer never grew past the limit.
    expect(enc.capacity).toBeLessThanOrEqual(100);
  });

  it('accepts a body of exactly the limit', () => {
    const body = new Hessian2Encoder().write('x'.repeat(98)).toBuffer();
    expect(body.length).toBe(100);
    expect(new Hessian2Encoder(16).begin(0, [], 100).write('x'.repeat(98)).length).toBe(100);
    expect(() => new Hessian2Encoder(16).begin(0, [], 99).write('x'.repeat(98))).toThrow(PayloadLimitError);
  });

  it('refuses a 1e9-element sparse array and a 100 MB string without walking them', () => {
    const sparse = new Array(1e9);
    const huge = 'x'.repeat(100 * 1024 * 1024);
    // Walking the array would take tens of seconds; the bound leaves room for a loaded machine.
    expect(
      elapsedMs(() => expect(() => new Hessian2Encoder().begin(0, [], 8 << 20).write([sparse])).toThrow(PayloadLimitError)),
    ).toBeLessThan(500);
    expect(elapsedMs(() => expect(() => new Hessian2Encoder().begin(0, [], 8 << 20).write(huge)).toThrow(PayloadLimitError))).toBeLessThan(
      500,
    );
  });

  it('gives a grown buffer back after the body, keeps a small one', () => {
    const enc = new Hessian2Encoder(8192);
    enc.write('y'.repeat(300 * 1024));
    expect(enc.capacity).toBeGreaterThan(300 * 1024);
    enc.release();
    expect(enc.capacity).toBe(8192);
    enc.write('small');
    enc.release();
    expect(enc.capacity).toBe(8192);
  });
});

describe('back-references, types and classes in O(1)', () => {
  it('writes a repeated object as a reference to its first index', () => {
    const shared = { a: 1 };
    // untyped fixed list of 2 (0x7a), map H 'a' 1 Z, then ref Q 0x91 (the list is ref 0, the map ref 1)
    expect(hex(new Hessian2Encoder().write([shared, shared]).toBuffer())).toBe('7a' + '48' + '0161' + '91' + '5a' + '51' + '91');
  });

  it('a cyclic graph round-trips with identity', () => {
    const node: Record<string, unknown> = { name: 'n' };
    node['self'] = node;
    const back = new Hessian2Decoder(new Hessian2Encoder().write(node).toBuffer()).read() as Record<string, unknown>;
    expect(back['self']).toBe(back);
  });

  it('encodes 100 000 distinct POJOs in linear time (class definition once, no indexOf scans)', () => {
    const items = (n: number): unknown[] =>
      Array.from({ length: n }, (_, i) => ({ $class: 'org.apache.dubbo.test.Item', $: { sku: `s${i}`, qty: i, price: '1.50' } }));
    const small = items(10_000);
    const large = items(100_000);
    const enc = new Hessian2Encoder();
    enc.write(small);
    enc.reset();
    const tSmall = elapsedMs(() => enc.reset().write(small));
    const tLarge = elapsedMs(() => enc.reset().write(large));
    // Quadratic would be ~100×; linear is ~10× (generous for a noisy machine).
    expect(tLarge / Math.max(tSmall, 0.5)).toBeLessThan(40);
    const body = enc.toBuffer();
    expect(body.indexOf(Buffer.from('org.apache.dubbo.test.Item'))).toBe(body.lastIndexOf(Buffer.from('org.apache.dubbo.test.Item')));
    const back = new Hessian2Decoder(body).read() as Array<Record<string, unknown>>;
    expect(back).toHaveLength(100_000);
    expect(back[99_999]).toEqual({ sku: 's99999', qty: 99_999, price: '1.50' });
  });

  it('an enum constant is an object with one field, name', () => {
    const bytes = new Hessian2Encoder().write({ $class: 'org.apache.dubbo.test.Color', $: 'RED' }).toBuffer();
    // C "org.apache.dubbo.test.Color" 1 "name" O#0 "RED"
    expect(hex(bytes)).toBe(
      '43' + '1b' + Buffer.from('org.apache.dubbo.test.Color').toString('hex') + '91' + '046e616d65' + '60' + '03524544',
    );
  });
});

describe('values that cannot be sent are refused, with their path', () => {
  it('functions and symbols are errors, not nulls', () => {
    const fn = failure(() => new Hessian2Encoder().write({ user: { onSave: () => 1 } }));
    expect(fn.message).toBe('a function cannot be sent');
    expect(fn.path('args[0]')).toBe('args[0].user.onSave');
    expect(failure(() => new Hessian2Encoder().write([1, Symbol('s')])).path('x')).toBe('x[1]');
  });

  it('names odd keys and Map keys in the path', () => {
    expect(failure(() => new Hessian2Encoder().write({ 'a b': [{ c: () => 1 }] })).path('args[2]')).toBe('args[2]["a b"][0].c');
    expect(failure(() => new Hessian2Encoder().write(new Map([['k', Symbol('v')]]))).path('r')).toBe('r.k');
  });

  it('refuses nesting deeper than MAX_DEPTH and accepts MAX_DEPTH', () => {
    const nest = (n: number): unknown => {
      let v: unknown = 1;
      for (let i = 0; i < n; i++) {
        v = [v];
      }
      return v;
    };
    expect(() => new Hessian2Encoder().write(nest(MAX_DEPTH))).not.toThrow();
    expect(failure(() => new Hessian2Encoder().write(nest(MAX_DEPTH + 1))).message).toBe(
      `values nested deeper than ${MAX_DEPTH} levels cannot be sent`,
    );
  });

  it('refuses invalid Dates and typed arrays other than bytes', () => {
    expect(failure(() => new Hessian2Encoder().write(new Date(Number.NaN))).message).toMatch(/invalid Date/);
    expect(failure(() => new Hessian2Encoder().write(new Int32Array(2))).message).toMatch(/Int32Array cannot be sent/);
    expect(hex(new Hessian2Encoder().write(new Uint8Array([1, 2])).toBuffer())).toBe('220102');
  });
});

describe('declared Java types', () => {
  it.each([
    ['int', 2 ** 40, /does not fit in a Java int \(-2147483648 to 2147483647\)/],
    ['int', 1.5, /1.5 is not a int: send an integer/],
    ['int', '12a', /"12a" is not a int/],
    ['int', null, /null is not a int/],
    ['short', 32768, /does not fit in a Java short/],
    ['byte', -129, /does not fit in a Java byte/],
    ['java.lang.Byte', 128, /does not fit in a Java java.lang.Byte/],
    ['long', Number.NaN, /NaN is not a long/],
    ['long', 2 ** 63, /does not fit in a Java long/],
    ['long', '9223372036854775808', /does not fit in a Java long/],
    ['java.lang.Long', 0.5, /not a java.lang.Long/],
    ['float', 1e39, /beyond the range of a Java float/],
    ['double', '1.5', /is not a double/],
    ['boolean', 'true', /is not a boolean/],
    ['char', 'ab', /is not a char/],
    ['java.lang.String', 5, /5 is not a java.lang.String/],
    ['java.math.BigDecimal', '12,5', /not a java.math.BigDecimal/],
    ['java.math.BigInteger', '1.5', /not a java.math.BigInteger/],
    ['int[]', 5, /not a int\[\]: send an array/],
  ])('%s refuses %p', (javaType, value, message) => {
    expect(failure(() => declared(value, javaType)).message).toMatch(message);
  });

  it('names the element of an array', () => {
    const err = failure(() => new Hessian2Encoder().writeDeclared([1, 2, 2 ** 31], declaredType('int[]')));
    expect(err.path('args[1]')).toBe('args[1][2]');
    expect(err.javaType).toBe('int');
    expect(failure(() => new Hessian2Encoder().writeDeclared([1, null], declaredType('[I'))).message).toBe('null is not a int');
    expect(() => new Hessian2Encoder().writeDeclared([1, null], declaredType('[Ljava.lang.Integer;'))).not.toThrow();
  });

  it('checks { $class } values anywhere in the graph', () => {
    const order = { items: [{ qty: 1 }, { qty: 2 }, { qty: 3 }, { qty: { $class: 'int', $: 2 ** 40 } }] };
    expect(failure(() => new Hessian2Encoder().write(order)).path('args[1]')).toBe('args[1].items[3].qty');
    expect(failure(() => new Hessian2Encoder().write({ $class: '[int', $: [1, 1.5] })).path('v')).toBe('v[1]');
    expect(failure(() => new Hessian2Encoder().write({ $class: 'java.lang.Double', $: '1' })).message).toBe(
      '"1" is not a java.lang.Double',
    );
  });

  it('writes what fits as Java reads it', () => {
    expect(hex(declared(2147483647, 'int'))).toBe('497fffffff');
    expect(hex(declared('-5', 'java.lang.Integer'))).toBe('8b');
    expect(hex(declared(null, 'java.lang.Integer'))).toBe('4e');
    expect(hex(declared('9223372036854775807', 'long'))).toBe('4c7fffffffffffffff');
    expect(hex(declared(7, 'long'))).toBe('97');
    expect(hex(declared(5, 'double'))).toBe('5d05');
    expect(hex(declared(Number.NaN, 'float'))).toBe('447ff8000000000000');
    expect(hex(declared('12.50', 'java.math.BigDecimal'))).toBe('053132' + '2e3530');
    expect(hex(declared(12345678901234567890n, 'java.math.BigInteger'))).toBe('14' + Buffer.from('12345678901234567890').toString('hex'));
    expect(hex(declared([1, 2], 'long[]'))).toBe('7a9192');
    expect(hex(declared('x', 'char'))).toBe('0178');
    // Types without a rule are written as their JS value says.
    expect(hex(declared(1.5, 'com.acme.Anything'))).toBe('5f000005dc');
  });
});
