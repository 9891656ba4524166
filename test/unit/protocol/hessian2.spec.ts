import { describe, expect, it } from '@jest/globals';
import { Hessian2Decoder } from '../../../lib/protocol/hessian/hessian2-decoder.js';
import { Hessian2Encoder } from '../../../lib/protocol/hessian/hessian2-encoder.js';
import { javaClassOf } from '../../../lib/protocol/hessian/java-class.js';

function encode(value: unknown): Buffer {
  return new Hessian2Encoder().write(value).toBuffer();
}
function decode(hex: string | Buffer): unknown {
  const d = new Hessian2Decoder(typeof hex === 'string' ? Buffer.from(hex.replace(/\s+/g, ''), 'hex') : hex);
  const v = d.read();
  expect(d.atEnd).toBe(true);
  return v;
}
const hex = (b: Buffer): string => b.toString('hex');

describe('Hessian2 longs: never rounded', () => {
  it.each([
    [0, 'e0'],
    [15, 'ef'],
    [-8, 'd8'],
    [2047, 'f fff'.replace(' ', '')],
    [262143, '3f ffff'.replace(' ', '')],
    [2147483647, '59 7fffffff'.replace(' ', '')],
    [-2147483648, '59 80000000'.replace(' ', '')],
    [1234567890123, '4c 0000011f71fb04cb'.replace(' ', '')],
  ])('writes the long %p in the same compact form as Java (%s)', (value, expected) => {
    expect(hex(new Hessian2Encoder().writeBigLong(BigInt(value)).toBuffer())).toBe(expected);
  });

  it('decodes safe longs as numbers and wider ones as exact bigints', () => {
    expect(decode('4c 0000011f71fb04cb')).toBe(1234567890123);
    expect(decode('4c 001fffffffffffff')).toBe(Number.MAX_SAFE_INTEGER);
    expect(decode('4c 0020000000000001')).toBe(9007199254740993n);
    expect(decode('4c 7fffffffffffffff')).toBe(9223372036854775807n);
    expect(decode('4c 8000000000000000')).toBe(-9223372036854775808n);
    expect(decode('4c ffe0000000000000')).toBe(-9007199254740992n);
  });

  it('writes bigint and the { $class: "long" } wrapper exactly, and refuses what does not fit', () => {
    expect(hex(encode(9007199254740993n))).toBe('4c0020000000000001');
    expect(hex(encode({ $class: 'java.lang.Long', $: '9223372036854775807' }))).toBe('4c7fffffffffffffff');
    expect(hex(encode({ $class: 'long', $: 5 }))).toBe('e5');
    expect(() => encode(2n ** 63n)).toThrow(/does not fit/);
  });

  it('writes integer numbers beyond 2^53 as the exact long of that double', () => {
    expect(hex(encode(2 ** 60))).toBe('4c1000000000000000');
    expect(decode(encode(2 ** 60))).toBe(2n ** 60n);
    expect(hex(encode(2 ** 64))).toBe('4443f0000000000000');
  });
});

describe('Hessian2 doubles: as Hessian2Output.writeDouble', () => {
  it.each([
    [0.5, '5f000001f4'],
    [1.5, '5f000005dc'],
    [-100.25, '5ffffe7866'],
    [3.14159, '44400921f9f01b866e'],
    [1e300, '447e37e43c8800759c'],
    [Number.NaN, '447ff8000000000000'],
  ])('writes %p as %s and reads it back', (value, expected) => {
    const bytes = new Hessian2Encoder().writeDouble(value).toBuffer();
    expect(hex(bytes)).toBe(expected);
    expect(decode(bytes)).toBe(value);
  });

  it('uses the compact forms for integral doubles', () => {
    const w = (v: number): string => hex(new Hessian2Encoder().writeDouble(v).toBuffer());
    expect(w(0)).toBe('5b');
    expect(w(1)).toBe('5c');
    expect(w(-128)).toBe('5d80');
    expect(w(1000)).toBe('5e03e8');
    expect(w(40000)).toBe('5f02625a00');
  });
});

describe('Hessian2 strings', () => {
  it('writes characters outside the BMP as two 3-byte surrogates (CESU-8) and counts UTF-16 units', () => {
    const bytes = encode('a\u{1F600}');
    expect(hex(bytes)).toBe('03' + '61' + 'eda0bd' + 'edb880');
    expect(decode(bytes)).toBe('a\u{1F600}');
  });

  it('chunks long strings at 0x8000 characters without splitting a surrogate pair', () => {
    const text = 'x'.repeat(0x7fff) + '\u{1F600}' + 'y'.repeat(10);
    const bytes = encode(text);
    expect(bytes[0]).toBe(0x52);
    expect(bytes.readUInt16BE(1)).toBe(0x7fff);
    expect(decode(bytes)).toBe(text);
  });
});

describe('Hessian2 maps and objects', () => {
  it('never writes to a prototype, whatever the keys', () => {
    // H "__proto__" H "polluted" T Z "constructor" 1 "prototype" 2 Z
    const body = Buffer.concat([
      Buffer.from([0x48]),
      encode('__proto__'),
      Buffer.from([0x48]),
      encode('polluted'),
      Buffer.from([0x54, 0x5a]),
      encode('constructor'),
      encode(1),
      encode('prototype'),
      encode(2),
      Buffer.from([0x5a]),
    ]);
    const value = decode(body) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
    expect(value['constructor']).toBe(1);
    expect(value['prototype']).toBe(2);
  });

  it('registers an object before its fields so a self-referencing cause resolves', () => {
    // C "java.lang.RuntimeException" 2 "detailMessage" "cause"; O#0 "boom" Q#0
    const body = Buffer.concat([
      Buffer.from([0x43]),
      encode('java.lang.RuntimeException'),
      Buffer.from([0x92]),
      encode('detailMessage'),
      encode('cause'),
      Buffer.from([0x60]),
      encode('boom'),
      Buffer.from([0x51, 0x90]),
    ]);
    const value = decode(body) as Record<string, unknown>;
    expect(value['detailMessage']).toBe('boom');
    expect(value['cause']).toBe(value);
    expect(javaClassOf(value)).toBe('java.lang.RuntimeException');
  });

  it('reuses class definitions within one body and turns BigDecimal into its decimal string', () => {
    // C "java.math.BigDecimal" 1 "value"; list of two instances sharing the definition
    const body = Buffer.concat([
      Buffer.from([0x7a]),
      Buffer.from([0x43]),
      encode('java.math.BigDecimal'),
      Buffer.from([0x91]),
      encode('value'),
      Buffer.from([0x60]),
      encode('1.50'),
      Buffer.from([0x60]),
      encode('-0.000000001'),
    ]);
    expect(decode(body)).toEqual(['1.50', '-0.000000001']);
  });

  it('reads BigInteger (signum + magnitude) exactly', () => {
    const body = Buffer.concat([
      Buffer.from([0x43]),
      encode('java.math.BigInteger'),
      Buffer.from([0x92]),
      encode('signum'),
      encode('mag'),
      Buffer.from([0x60, 0x8f]),
      Buffer.from([0x73]),
      encode('[int'),
      Buffer.from([0x91, 0x90, 0x90]),
    ]);
    expect(decode(body)).toBe(-(2n ** 64n));
  });

  it('reads the variable-length list forms hessian.js rejects', () => {
    expect(decode('57 91 92 5a')).toEqual([1, 2]);
    expect(decode(Buffer.concat([Buffer.from([0x55]), encode('java.util.ArrayList'), Buffer.from([0x91, 0x5a])]))).toEqual([1]);
  });

  it('writes Set as a list and Map as an untyped map', () => {
    expect(hex(encode(new Set([1, 2])))).toBe('7a9192');
    expect(decode(encode(new Map<unknown, unknown>([['a', 1]])))).toEqual({ a: 1 });
  });

  it('copies byte arrays out of the body', () => {
    const body = Buffer.from('23010203', 'hex');
    const value = decode(body) as Buffer;
    body.fill(0);
    expect([...value]).toEqual([1, 2, 3]);
  });

  it('decodes dates in both forms', () => {
    expect(decode(encode(new Date(1700000000123)))).toEqual(new Date(1700000000123));
    expect(hex(encode(new Date(60000 * 5)))).toBe('4b00000005');
    expect(() => encode(new Date(Number.NaN))).toThrow(/invalid Date/);
  });
});

describe('Hessian2 decoder on bad input', () => {
  it.each([
    ['truncated long', '4c0000'],
    ['truncated string', '05616263'],
    ['list longer than the body', '58d7ffff'],
    ['reference to nothing', '5195'],
    ['object of an undefined class', '63'],
    ['unknown code', '40'],
    ['unterminated map', '48 01 61 91'],
  ])('throws on %s instead of inventing a value', (_name, input) => {
    expect(() => {
      const d = new Hessian2Decoder(Buffer.from(input.replace(/\s+/g, ''), 'hex'));
      d.read();
      if (!d.atEnd) {
        throw new Error('not at end');
      }
    }).toThrow();
  });
});
