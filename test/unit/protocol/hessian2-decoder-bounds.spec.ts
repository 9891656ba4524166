import { describe, expect, it } from '@jest/globals';
import { Hessian2Decoder } from '../../../lib/protocol/hessian/hessian2-decoder.js';
import { Hessian2Encoder } from '../../../lib/protocol/hessian/hessian2-encoder.js';
import { javaClassOf } from '../../../lib/protocol/hessian/java-class.js';

const decode = (bytes: Buffer): unknown => {
  const d = new Hessian2Decoder(bytes);
  const value = d.read();
  expect(d.atEnd).toBe(true);
  return value;
};
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('Hessian2Decoder: repeated map keys', () => {
  it('reuses a key only when its bytes are the same, ASCII or not', () => {
    // 'é' (c3 a9) and 'Ã' (c3 83) have the same length and first byte: never confused.
    const value = [{ é: 1 }, { Ã: 2 }, { é: 3 }, { Ã: 4 }, { ab: 5 }, { ba: 6 }, { ab: 7 }];
    expect(decode(new Hessian2Encoder().write(value).toBuffer())).toEqual(value);
  });

  it('reads the keys of 3 000 maps right when slots collide', () => {
    const value = Array.from({ length: 3_000 }, (_, i) => ({ [`k${i % 97}`]: i, [`x${i % 13}y`]: -i - 1, class: 'c' }));
    expect(decode(new Hessian2Encoder().write(value).toBuffer())).toEqual(value);
  });
});

describe('Hessian2Decoder: text', () => {
  it('reads 4-byte UTF-8 as one code point (two UTF-16 units)', () => {
    // string of 2 units: f0 9f 98 80 (U+1F600)
    expect(decode(hex('02 f09f9880'))).toBe('\u{1F600}');
  });

  it('joins R chunks and a final short chunk', () => {
    const text = 'a'.repeat(0x8000) + 'bc';
    expect(decode(new Hessian2Encoder().write(text).toBuffer())).toBe(text);
    expect(decode(Buffer.concat([hex('52 0002'), Buffer.from('xy'), hex('01'), Buffer.from('z')]))).toBe('xyz');
  });

  it.each([
    ['a string longer than the body', '05 6162'],
    ['a multi-byte character cut short', '01 e0a0'],
    ['a list that claims more elements than bytes', '58 d4ffff 90'],
    ['a class with more fields than bytes', '43 0141 d4ffff'],
    ['an undefined type reference', '70 95'],
    ['a reference to nothing', '51 90'],
    ['an object of an undefined class', '60'],
    ['an unterminated map', '48 0161 90'],
  ])('refuses %s', (_name, bytes) => {
    expect(() => new Hessian2Decoder(hex(bytes)).read()).toThrow(/hessian: /);
  });

  it('refuses a byte that starts no value', () => {
    expect(() => new Hessian2Decoder(hex('40')).read()).toThrow('hessian: unexpected code 0x40 at byte 0');
  });
});

describe('Hessian2Decoder: classes', () => {
  it('keeps the Java class out of band, invisible to keys and JSON', () => {
    const value = decode(new Hessian2Encoder().write({ $class: 'com.acme.Item', $: { sku: 's', qty: 1 } }).toBuffer());
    expect(Object.keys(value as object)).toEqual(['sku', 'qty']);
    expect(JSON.stringify(value)).toBe('{"sku":"s","qty":1}');
    expect(javaClassOf(value)).toBe('com.acme.Item');
    expect(javaClassOf({ sku: 's' })).toBeUndefined();
  });

  it('drops inner-class back-pointers and converts BigDecimal, also behind references', () => {
    const price = { $class: 'java.math.BigDecimal', $: { value: '12.50' } };
    const bytes = new Hessian2Encoder().write([{ $class: 'com.acme.Outer$Inner', $: { this$0: null, n: 1 } }, price, price]).toBuffer();
    expect(decode(bytes)).toEqual([{ n: 1 }, '12.50', '12.50']);
  });
});
