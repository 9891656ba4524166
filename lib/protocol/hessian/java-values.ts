/**
 * Java value types that have no Hessian type of their own, and their JS forms:
 *
 * | Java | JS | on the wire (what hessian-lite reads and writes) |
 * |---|---|---|
 * | java.sql.Timestamp, java.sql.Date, java.sql.Time | Date | object of that class, one field `value` (a UTC date, milliseconds) |
 * | java.time.Instant | ISO string `2024-01-02T03:04:05.678901234Z` (nanoseconds kept) | sent as hessian-lite's `InstantHandle {seconds, nanos}`; generic replies: a map `{ class, epochSecond, nano }` |
 * | java.time.Duration | ISO string `PT1M30.5S` (as Java's toString) | sent as `DurationHandle {seconds, nanos}`; generic replies: a map `{ class, seconds, nano, … }` |
 * | java.util.UUID | string `123e4567-e89b-12d3-a456-426614174000` | object `java.util.UUID {value}`; generic replies: a map `{ class, mostSignificantBits, leastSignificantBits }` |
 */

export const SQL_DATE_CLASSES: ReadonlySet<string> = new Set(['java.sql.Timestamp', 'java.sql.Date', 'java.sql.Time']);
export const INSTANT_CLASS = 'java.time.Instant';
export const DURATION_CLASS = 'java.time.Duration';
export const UUID_CLASS = 'java.util.UUID';
export const INSTANT_HANDLE = 'com.alibaba.com.caucho.hessian.io.java8.InstantHandle';
export const DURATION_HANDLE = 'com.alibaba.com.caucho.hessian.io.java8.DurationHandle';

const NANOS = 1_000_000_000n;

/** A Date from a Date, epoch milliseconds or an ISO date-time string; undefined when it is none. */
export function dateOf(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (value instanceof Date) {
    date = value;
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    date = new Date(value);
  } else if (typeof value === 'string' && value.length <= 64 && /^[+-]?\d{4,6}-\d{2}-\d{2}/.test(value)) {
    date = new Date(value);
  }
  return date !== undefined && Number.isFinite(date.getTime()) ? date : undefined;
}

const ISO_INSTANT = /^([+-]?\d{4,6})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Epoch seconds and nanoseconds of an instant given as a Date, epoch milliseconds or ISO string. */
export function instantOf(value: unknown): { seconds: bigint; nanos: number } | undefined {
  if (typeof value === 'string') {
    const m = ISO_INSTANT.exec(value.trim());
    if (m === null) {
      return undefined;
    }
    const [, y, mo, d, h, mi, s = '0', fraction = '', zone] = m as unknown as string[];
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    const back = new Date(ms);
    // Date.UTC rolls 2024-02-30 over into March: such a date is refused, not moved.
    if (!Number.isFinite(ms) || back.getUTCDate() !== Number(d) || back.getUTCHours() !== Number(h) || Number(s) > 59) {
      return undefined;
    }
    let offsetSeconds = 0;
    if (zone !== undefined && zone.toUpperCase() !== 'Z') {
      const digits = zone.slice(1).replace(':', '');
      offsetSeconds = (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2) || '0') * 60) * (zone[0] === '-' ? -1 : 1);
    }
    return { seconds: BigInt(ms / 1000 - offsetSeconds), nanos: Number(fraction.padEnd(9, '0') || '0') };
  }
  const date = value instanceof Date || typeof value === 'number' ? dateOf(value) : undefined;
  if (date === undefined) {
    return undefined;
  }
  const ms = BigInt(date.getTime());
  const seconds = ms >= 0n ? ms / 1000n : -((-ms + 999n) / 1000n);
  return { seconds, nanos: Number(ms - seconds * 1000n) * 1_000_000 };
}

function fractionText(nanos: number): string {
  if (nanos === 0) {
    return '';
  }
  const digits = String(nanos).padStart(9, '0');
  // As Java's ISO_INSTANT: milli, micro or nano precision, whichever is exact.
  return `.${nanos % 1_000_000 === 0 ? digits.slice(0, 3) : nanos % 1000 === 0 ? digits.slice(0, 6) : digits}`;
}

/** Java's Instant.toString for the years JS Dates cover. */
export function instantText(seconds: bigint | number, nanos: number): string {
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, iso.indexOf('.'))}${fractionText(nanos)}Z`;
}

const ISO_DURATION = /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?)(\d+)(?:[.,](\d{0,9}))?S)?)?$/i;

/** Seconds and nanoseconds (0 … 999 999 999) of a duration: an ISO-8601 string or milliseconds. */
export function durationOf(value: unknown): { seconds: bigint; nanos: number } | undefined {
  let total: bigint;
  if (typeof value === 'number' && Number.isFinite(value) && Number.isInteger(value)) {
    total = BigInt(value) * 1_000_000n;
  } else if (typeof value === 'string' && value.length <= 80) {
    const m = ISO_DURATION.exec(value.trim());
    if (m === null || /T$/i.test(value.trim()) || value.trim().toUpperCase() === 'P') {
      return undefined;
    }
    const [, sign, days, hours, minutes, secondSign, secs, fraction] = m;
    const big = (text: string | undefined): bigint => (text ? BigInt(text) : 0n);
    let secondsPart = big(secs) * NANOS + BigInt((fraction ?? '').padEnd(9, '0') || '0');
    if (secondSign === '-') {
      secondsPart = -secondsPart;
    }
    total = big(days) * 86400n * NANOS + big(hours) * 3600n * NANOS + big(minutes) * 60n * NANOS + secondsPart;
    if (sign === '-') {
      total = -total;
    }
  } else {
    return undefined;
  }
  let seconds = total / NANOS;
  let nanos = total % NANOS;
  if (nanos < 0n) {
    nanos += NANOS;
    seconds -= 1n;
  }
  return { seconds, nanos: Number(nanos) };
}

/** Java's Duration.toString. */
export function durationText(seconds: bigint | number, nanos: number): string {
  const s = BigInt(seconds);
  if (s === 0n && nanos === 0) {
    return 'PT0S';
  }
  const effective = s < 0n && nanos > 0 ? s + 1n : s;
  const hours = effective / 3600n;
  const minutes = (effective % 3600n) / 60n;
  const secs = effective % 60n;
  let text = 'PT';
  if (hours !== 0n) {
    text += `${hours}H`;
  }
  if (minutes !== 0n) {
    text += `${minutes}M`;
  }
  if (secs === 0n && nanos === 0 && text.length > 2) {
    return text;
  }
  text += s < 0n && nanos > 0 ? (secs === 0n ? '-0' : String(secs)) : String(secs);
  if (nanos > 0) {
    const digits = String(s < 0n ? 2_000_000_000 - nanos : nanos + 1_000_000_000)
      .slice(1)
      .replace(/0+$/, '');
    text += `.${digits}`;
  }
  return `${text}S`;
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidOf(value: unknown): string | undefined {
  return typeof value === 'string' && UUID_TEXT.test(value) ? value.toLowerCase() : undefined;
}

/** A UUID's text from its two signed 64-bit halves (as Java's getters return them). */
export function uuidText(most: bigint | number, least: bigint | number): string {
  const hex = (v: bigint | number): string => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');
  const h = hex(most) + hex(least);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const isLong = (v: unknown): v is number | bigint => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
const isNanos = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1_000_000_000;

/**
 * The JS form of a decoded value object, by its Java class: a class-definition object (`fields`) or
 * a generic map carrying `class`. Undefined when the class is not one of these or its fields do not
 * have the expected shape (the value then stays as it is).
 */
export function javaValueOf(className: string, fields: Record<string, unknown>): unknown {
  if (SQL_DATE_CLASSES.has(className)) {
    return fields['value'] instanceof Date ? fields['value'] : undefined;
  }
  switch (className) {
    case INSTANT_CLASS:
      return isLong(fields['epochSecond']) && isNanos(fields['nano']) ? instantText(fields['epochSecond'], fields['nano']) : undefined;
    case INSTANT_HANDLE:
      return isLong(fields['seconds']) && isNanos(fields['nanos']) ? instantText(fields['seconds'], fields['nanos']) : undefined;
    case DURATION_CLASS:
      return isLong(fields['seconds']) && isNanos(fields['nano']) ? durationText(fields['seconds'], fields['nano']) : undefined;
    case DURATION_HANDLE:
      return isLong(fields['seconds']) && isNanos(fields['nanos']) ? durationText(fields['seconds'], fields['nanos']) : undefined;
    case UUID_CLASS:
      if (typeof fields['value'] === 'string') {
        return fields['value'];
      }
      return isLong(fields['mostSignificantBits']) && isLong(fields['leastSignificantBits'])
        ? uuidText(fields['mostSignificantBits'], fields['leastSignificantBits'])
        : undefined;
    default:
      return undefined;
  }
}

/** Classes a generic map's `class` entry may name for javaValueOf (a cheap pre-check per map). */
export const VALUE_MAP_CLASSES: ReadonlySet<string> = new Set([INSTANT_CLASS, DURATION_CLASS, UUID_CLASS]);
