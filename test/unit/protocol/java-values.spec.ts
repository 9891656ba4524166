import { describe, expect, it } from '@jest/globals';
import { Hessian2Decoder } from '../../../lib/protocol/hessian/hessian2-decoder.js';
import { Hessian2Encoder } from '../../../lib/protocol/hessian/hessian2-encoder.js';
import { durationOf, durationText, instantOf, instantText, javaValueOf, uuidText } from '../../../lib/protocol/hessian/java-values.js';

describe('Duration text, as Java prints it', () => {
  it.each([
    [0n, 0, 'PT0S'],
    [90n, 500_000_000, 'PT1M30.5S'],
    [3600n, 0, 'PT1H'],
    [3661n, 1, 'PT1H1M1.000000001S'],
    [-1n, 750_000_000, 'PT-0.25S'],
    [-2n, 500_000_000, 'PT-1.5S'],
    [-3600n, 0, 'PT-1H'],
    [93784n, 0, 'PT26H3M4S'],
  ])('(%p s, %p ns) → %s, and parses back', (seconds, nanos, text) => {
    expect(durationText(seconds, nanos)).toBe(text);
    expect(durationOf(text)).toEqual({ seconds, nanos });
  });

  it('parses days, signs, commas and milliseconds; refuses what Java refuses', () => {
    expect(durationOf('P2D')).toEqual({ seconds: 172800n, nanos: 0 });
    expect(durationOf('-PT-1M')).toEqual({ seconds: 60n, nanos: 0 });
    expect(durationOf('PT0,5S')).toEqual({ seconds: 0n, nanos: 500_000_000 });
    expect(durationOf(-1)).toEqual({ seconds: -1n, nanos: 999_000_000 });
    for (const bad of ['P', 'PT', '1H', 'PT1.5M', 'PT1S2M', 1.5, Number.NaN, null]) {
      expect(durationOf(bad)).toBeUndefined();
    }
  });
});

describe('Instant text and parsing', () => {
  it.each([
    [0n, 0, '1970-01-01T00:00:00Z'],
    [1704164645n, 678_000_000, '2024-01-02T03:04:05.678Z'],
    [1704164645n, 678_900_000, '2024-01-02T03:04:05.678900Z'],
    [1704164645n, 5, '2024-01-02T03:04:05.000000005Z'],
    [-1n, 999_000_000, '1969-12-31T23:59:59.999Z'],
  ])('(%p s, %p ns) → %s, and parses back', (seconds, nanos, text) => {
    expect(instantText(seconds, nanos)).toBe(text);
    expect(instantOf(text)).toEqual({ seconds, nanos });
  });

  it('takes offsets, Dates and epoch milliseconds; refuses impossible dates', () => {
    expect(instantOf('2024-01-02T05:04:05+02:00')).toEqual({ seconds: 1704164645n, nanos: 0 });
    expect(instantOf('2024-01-02T03:04Z')).toEqual({ seconds: 1704164640n, nanos: 0 });
    expect(instantOf(new Date(-1))).toEqual({ seconds: -1n, nanos: 999_000_000 });
    expect(instantOf(1500)).toEqual({ seconds: 1n, nanos: 500_000_000 });
    for (const bad of [
      '2024-02-30T00:00:00Z',
      '2024-01-02T24:00:00Z',
      '2024-01-02 03:04:05Z',
      '2024-01-02T03:04:05',
      new Date(Number.NaN),
      'x',
    ]) {
      expect(instantOf(bad)).toBeUndefined();
    }
  });
});

describe('UUID text from Java halves', () => {
  it('formats signed 64-bit halves as Java does', () => {
    expect(uuidText(1314564453825188563n, -6605018797301088256n)).toBe('123e4567-e89b-12d3-a456-426614174000');
    expect(uuidText(0, 0)).toBe('00000000-0000-0000-0000-000000000000');
    expect(uuidText(-1n, -1n)).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
  });
});

describe('decoding value objects and generic value maps', () => {
  const roundTrip = (value: unknown): unknown => new Hessian2Decoder(new Hessian2Encoder().write(value).toBuffer()).read();

  it('turns java.sql objects into Dates and generic Instant/Duration/UUID maps into their text', () => {
    const at = new Date(1704164645678);
    expect(roundTrip({ $class: 'java.sql.Timestamp', $: { value: at } })).toEqual(at);
    expect(roundTrip({ class: 'java.time.Instant', epochSecond: 1704164645, nano: 5 })).toBe('2024-01-02T03:04:05.000000005Z');
    expect(
      roundTrip({ class: 'java.time.Duration', seconds: 90, nano: 500_000_000, zero: false, negative: false, units: ['SECONDS', 'NANOS'] }),
    ).toBe('PT1M30.5S');
    expect(
      roundTrip({ class: 'java.util.UUID', mostSignificantBits: 1314564453825188563n, leastSignificantBits: -6605018797301088256n }),
    ).toBe('123e4567-e89b-12d3-a456-426614174000');
    // A back-reference to a converted value gets the converted value.
    const shared = { class: 'java.util.UUID', mostSignificantBits: 0, leastSignificantBits: 1 };
    expect(roundTrip([shared, shared])).toEqual(['00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001']);
  });

  it('leaves maps of other shapes alone', () => {
    expect(roundTrip({ class: 'java.time.Instant', epochSecond: 'x', nano: 5 })).toEqual({
      class: 'java.time.Instant',
      epochSecond: 'x',
      nano: 5,
    });
    expect(roundTrip({ class: 'com.acme.Other', epochSecond: 1, nano: 5 })).toEqual({ class: 'com.acme.Other', epochSecond: 1, nano: 5 });
    expect(javaValueOf('java.time.Duration', { seconds: 1, nano: 1e9 })).toBeUndefined();
  });
});
