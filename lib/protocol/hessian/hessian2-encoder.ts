import { describeValue } from '../../utils/describe-value.js';
import { ContainerWriter } from './container-writer.js';
import {
  type DeclaredType,
  declaredType,
  FLOAT_MAX,
  INT64_MAX,
  INT64_MIN,
  integerOf,
  intRange,
  isDecimalText,
  Kind,
  TWO_63,
} from './declared-type.js';
import { ValueEncodeError } from './encode-errors.js';
import { dateOf, DURATION_HANDLE, durationOf, INSTANT_HANDLE, instantOf, uuidOf, UUID_CLASS } from './java-values.js';

/**
 * Hessian2 writer for dubbo bodies, byte-compatible with what Dubbo's hessian-lite reads and with
 * the forms hessian.js wrote before it (golden vectors under test/fixtures/vectors). Its parts:
 *
 * - `ByteWriter` (byte-writer.ts): the buffer and the byte budget (`limit`), checked as the body
 *   grows and before a string, list or map whose smallest encoding is already over it — a
 *   1e9-element array fails at once; a grown buffer is given back after each body;
 * - `ScalarWriter` (scalar-writer.ts): numbers (integers as int/long, exact beyond 2^53; others as
 *   doubles in Hessian2Output.writeDouble's forms; bigint as a range-checked long; NaN kept), dates,
 *   binary, and strings in CESU-8 (outside the BMP as two 3-byte surrogates), 0x8000-unit chunks;
 * - `ContainerWriter` (container-writer.ts): lists, maps and objects, with back-references, type
 *   names and class definitions looked up in Maps (O(1) per value), and the nesting limit MAX_DEPTH;
 * - here: which of those a JS value becomes (`write`), and a declared Java type (`writeDeclared`, and
 *   `{ $class, $ }` values) enforced: an `int` given 2^40 or 1.5 is refused with the value's path
 *   instead of arriving as 0 or 1; functions, symbols and invalid Dates are refused, not sent as null.
 *
 * Not re-entrant; one body at a time (`begin` … `toBuffer`).
 */

const LONG_CLASSES = new Set(['long', 'java.lang.Long']);
const DOUBLE_CLASSES = new Set(['double', 'java.lang.Double']);
const FLOAT_CLASSES = new Set(['float', 'java.lang.Float']);
const BOOL_CLASSES = new Set(['boolean', 'java.lang.Boolean', 'bool']);
const INT_CLASSES: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['int', Kind.Int],
  ['java.lang.Integer', Kind.Int],
  ['short', Kind.Short],
  ['java.lang.Short', Kind.Short],
  ['byte', Kind.Byte],
  ['java.lang.Byte', Kind.Byte],
]);
const STRING_CLASSES = new Set(['java.lang.String', 'String', 'string', 'char[]']);
const CHAR_CLASSES = new Set(['char', 'java.lang.Character']);
const MAP_CLASSES = new Set(['java.util.HashMap', 'java.util.Map']);
const UNTYPED_LIST_CLASSES = new Set(['java.util.ArrayList', 'java.util.List']);

export class Hessian2Encoder extends ContainerWriter {
  /** Any JS value, as its own type says (see README's type table). */
  write(value: unknown): this {
    switch (typeof value) {
      case 'string':
        return this.writeString(value);
      case 'number':
        return this.writeNumber(value);
      case 'boolean':
        return this.writeBool(value);
      case 'bigint':
        return this.writeBigLong(value);
      case 'undefined':
        return this.writeNull();
      case 'function':
        throw new ValueEncodeError('a function cannot be sent');
      case 'symbol':
        throw new ValueEncodeError('a symbol cannot be sent');
      default:
        break;
    }
    if (value === null) {
      return this.writeNull();
    }
    if (value instanceof Date) {
      return this.writeDate(value);
    }
    if (value instanceof Uint8Array) {
      return this.writeBytes(value);
    }
    if (Array.isArray(value)) {
      return this.writeList(value, '', value, undefined);
    }
    if (ArrayBuffer.isView(value)) {
      throw new ValueEncodeError(`${value.constructor.name} cannot be sent: use a Buffer/Uint8Array for byte[] or an Array`);
    }
    if (value instanceof ArrayBuffer) {
      return this.writeBytes(new Uint8Array(value));
    }
    if (value instanceof Set) {
      return this.writeList([...(value as Set<unknown>)], '', value, undefined);
    }
    if (value instanceof Map) {
      return this.writeMap(value as Map<unknown, unknown>, '', value);
    }
    const wrapper = value as { $class?: unknown; $?: unknown };
    if (typeof wrapper.$class === 'string' && Object.prototype.hasOwnProperty.call(wrapper, '$')) {
      return this.writeTyped(wrapper.$class, wrapper.$, value as object);
    }
    return this.writeMap(value as Record<string, unknown>, '', value as object);
  }

  /** A value the provider will convert to `type`; refused here when that conversion would lose it. */
  writeDeclared(value: unknown, type: DeclaredType | undefined): this {
    if (type === undefined) {
      return this.write(value);
    }
    if (value === null || value === undefined) {
      if (!type.nullable) {
        throw new ValueEncodeError(`${describeValue(value)} is not a ${type.javaType}`, type.javaType);
      }
      return this.writeNull();
    }
    if (
      typeof value === 'object' &&
      typeof (value as { $class?: unknown }).$class === 'string' &&
      Object.prototype.hasOwnProperty.call(value, '$')
    ) {
      // An explicitly typed value: its own $class rules.
      return this.write(value);
    }
    switch (type.kind) {
      case Kind.Byte:
      case Kind.Short:
      case Kind.Int:
        return this.writeInt(checkedInt(value, type.kind, type.javaType));
      case Kind.Long:
        return this.writeCheckedLong(value, type.javaType, false);
      case Kind.Float:
        return this.writeDouble(checkedFloat(value, type.javaType));
      case Kind.Double:
        if (typeof value !== 'number') {
          throw new ValueEncodeError(`${describeValue(value)} is not a ${type.javaType}`, type.javaType);
        }
        return this.writeDouble(value);
      case Kind.Boolean:
        if (typeof value !== 'boolean') {
          throw new ValueEncodeError(`${describeValue(value)} is not a ${type.javaType}: send true or false`, type.javaType);
        }
        return this.writeBool(value);
      case Kind.Char:
        if (typeof value !== 'string' || value.length !== 1) {
          throw new ValueEncodeError(`${describeValue(value)} is not a ${type.javaType}: send a string of one UTF-16 unit`, type.javaType);
        }
        return this.writeString(value);
      case Kind.String:
        if (typeof value !== 'string') {
          throw new ValueEncodeError(`${describeValue(value)} is not a ${type.javaType}`, type.javaType);
        }
        return this.writeString(value);
      case Kind.BigDecimal:
        return this.writeBigDecimal(value, type.javaType);
      case Kind.BigInteger:
        return this.writeBigInteger(value, type.javaType);
      case Kind.SqlDate: {
        const date = dateOf(value);
        if (date === undefined) {
          throw new ValueEncodeError(
            `${describeValue(value)} is not a ${type.javaType}: send a Date, epoch milliseconds or an ISO date-time`,
            type.javaType,
          );
        }
        return this.writeObject(type.javaType, { value: date }, {});
      }
      case Kind.Instant: {
        const instant = instantOf(value);
        if (instant === undefined) {
          throw new ValueEncodeError(
            `${describeValue(value)} is not a ${type.javaType}: send an ISO instant ("2024-01-02T03:04:05.123456789Z"), a Date or epoch milliseconds`,
            type.javaType,
          );
        }
        return this.writeObject(INSTANT_HANDLE, { seconds: { $class: 'long', $: instant.seconds }, nanos: instant.nanos }, {});
      }
      case Kind.Duration: {
        const duration = durationOf(value);
        if (duration === undefined) {
          throw new ValueEncodeError(
            `${describeValue(value)} is not a ${type.javaType}: send an ISO-8601 duration ("PT1M30.5S") or milliseconds`,
            type.javaType,
          );
        }
        return this.writeObject(DURATION_HANDLE, { seconds: { $class: 'long', $: duration.seconds }, nanos: duration.nanos }, {});
      }
      case Kind.Uuid: {
        const uuid = uuidOf(value);
        if (uuid === undefined) {
          throw new ValueEncodeError(`${describeValue(value)} is not a ${type.javaType}: send its 36-character text`, type.javaType);
        }
        return this.writeObject(UUID_CLASS, { value: uuid }, {});
      }
      case Kind.Array:
        if (Array.isArray(value)) {
          return this.writeList(value, '', value, type.element);
        }
        if (value instanceof Set) {
          return this.writeList([...(value as Set<unknown>)], '', value as object, type.element);
        }
        throw new ValueEncodeError(`${describeValue(value)} is not a ${type.javaType}: send an array`, type.javaType);
      default:
        return this.write(value);
    }
  }

  /**
   * A long that fits. A declared `long` parameter takes the compact int form when the value fits one
   * (the provider widens it, and Java's generic consumer sends a small Integer the same way); a
   * `{ $class: 'long' }` value is always a Hessian long, since Java keeps its runtime type.
   */
  private writeCheckedLong(value: unknown, javaType: string, forceLong: boolean): this {
    const n = integerOf(value);
    if (n === undefined) {
      throw new ValueEncodeError(
        `${describeValue(value)} is not a ${javaType}: send an integer (number, bigint or decimal string)`,
        javaType,
      );
    }
    if (typeof n === 'number') {
      if (n < -TWO_63 || n >= TWO_63) {
        throw new ValueEncodeError(`${describeValue(value)} does not fit in a Java long`, javaType);
      }
      if (!forceLong) {
        return this.writeNumber(n);
      }
      return Number.isSafeInteger(n) ? this.writeLong(n) : this.writeBigLong(BigInt(n));
    }
    if (n < INT64_MIN || n > INT64_MAX) {
      throw new ValueEncodeError(`${describeValue(value)} does not fit in a Java long`, javaType);
    }
    return this.writeBigLong(n);
  }

  private writeBigDecimal(value: unknown, javaType: string): this {
    if (typeof value === 'string' && isDecimalText(value.trim())) {
      return this.writeString(value.trim());
    }
    if (typeof value === 'number' && Number.isFinite(value)) {
      return this.writeNumber(value);
    }
    if (typeof value === 'bigint') {
      return this.writeString(value.toString());
    }
    throw new ValueEncodeError(`${describeValue(value)} is not a ${javaType}: send a decimal string such as "12.50"`, javaType);
  }

  private writeBigInteger(value: unknown, javaType: string): this {
    const n = integerOf(typeof value === 'string' ? value.trim() : value);
    if (n === undefined && typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) && value.length <= 400) {
      return this.writeString(value.trim());
    }
    if (n === undefined) {
      throw new ValueEncodeError(
        `${describeValue(value)} is not a ${javaType}: send an integer (number, bigint or decimal string)`,
        javaType,
      );
    }
    return typeof n === 'number' ? this.writeNumber(n) : this.writeString(n.toString());
  }

  /** `{ $class, $ }`: a value with an explicit Java type. */
  private writeTyped(className: string, inner: unknown, whole: object): this {
    if (inner === null || inner === undefined) {
      return this.writeNull();
    }
    if (LONG_CLASSES.has(className)) {
      return this.writeCheckedLong(inner, className, true);
    }
    const intKind = INT_CLASSES.get(className);
    if (intKind !== undefined) {
      return this.writeInt(checkedInt(inner, intKind, className));
    }
    if (DOUBLE_CLASSES.has(className)) {
      if (typeof inner !== 'number') {
        throw new ValueEncodeError(`${describeValue(inner)} is not a ${className}`, className);
      }
      return this.writeDouble(inner);
    }
    if (FLOAT_CLASSES.has(className)) {
      return this.writeDouble(checkedFloat(inner, className));
    }
    if (BOOL_CLASSES.has(className)) {
      if (typeof inner !== 'boolean') {
        throw new ValueEncodeError(`${describeValue(inner)} is not a ${className}`, className);
      }
      return this.writeBool(inner);
    }
    if (STRING_CLASSES.has(className) || CHAR_CLASSES.has(className)) {
      if (typeof inner !== 'string' || (CHAR_CLASSES.has(className) && inner.length !== 1)) {
        throw new ValueEncodeError(`${describeValue(inner)} is not a ${className}`, className);
      }
      return this.writeString(inner);
    }
    if (className === 'java.util.Date') {
      if (!(inner instanceof Date) && typeof inner !== 'number') {
        throw new ValueEncodeError(`${describeValue(inner)} is not a ${className}: send a Date or epoch milliseconds`, className);
      }
      return this.writeDate(inner);
    }
    if (className === 'java.lang.Object') {
      return this.write(inner);
    }
    const valueType = VALUE_TYPES.get(className);
    if (valueType !== undefined && (typeof inner !== 'object' || inner instanceof Date)) {
      // `{ $class: 'java.sql.Timestamp', $: date }`, `{ $class: 'java.util.UUID', $: 'text' }`: the JS form.
      return this.writeDeclared(inner, valueType);
    }
    if (Array.isArray(inner) || inner instanceof Set) {
      const items = Array.isArray(inner) ? inner : [...(inner as Set<unknown>)];
      const type = UNTYPED_LIST_CLASSES.has(className) ? '' : className;
      // '[int', '[java.lang.Integer', '[string': the Hessian names of typed arrays, checked by element.
      const element = className.startsWith('[') ? declaredType(className)?.element : undefined;
      return this.writeList(items, type, whole, element);
    }
    if (typeof inner === 'string') {
      // An enum constant: hessian-lite's EnumSerializer writes an object with one field, `name`.
      return this.writeObject(className, { name: inner }, whole);
    }
    if (typeof inner !== 'object') {
      throw new ValueEncodeError(`${describeValue(inner)} cannot be sent as a ${className}: give $ the object's properties`, className);
    }
    if (MAP_CLASSES.has(className)) {
      return this.writeMap(inner as Record<string, unknown>, '', whole);
    }
    if (className === 'com.alibaba.fastjson.JSONObject') {
      return this.writeMap(inner as Record<string, unknown>, className, whole);
    }
    if (className === 'java.util.Locale') {
      return this.writeObject('com.caucho.hessian.io.LocaleHandle', { value: inner }, whole);
    }
    return this.writeObject(className, inner as Record<string, unknown>, whole);
  }
}

/** Value classes whose `{ $class, $ }` may carry the JS form (a Date, a string) instead of fields. */
const VALUE_TYPES = new Map<string, DeclaredType>(
  ['java.sql.Timestamp', 'java.sql.Date', 'java.sql.Time', 'java.time.Instant', 'java.time.Duration', 'java.util.UUID'].map((name) => [
    name,
    declaredType(name)!,
  ]),
);

/** An int-sized value (byte, short, int) that fits, from a number, bigint or integer string. */
function checkedInt(value: unknown, kind: Kind, javaType: string): number {
  const range = intRange(kind)!;
  const n = integerOf(value);
  if (n === undefined) {
    throw new ValueEncodeError(`${describeValue(value)} is not a ${javaType}: send an integer`, javaType);
  }
  if (n < range[0] || n > range[1]) {
    throw new ValueEncodeError(`${describeValue(value)} does not fit in a Java ${javaType} (${range[0]} to ${range[1]})`, javaType);
  }
  return Number(n);
}

function checkedFloat(value: unknown, javaType: string): number {
  if (typeof value !== 'number') {
    throw new ValueEncodeError(`${describeValue(value)} is not a ${javaType}`, javaType);
  }
  if (Number.isFinite(value) && Math.abs(value) > FLOAT_MAX) {
    throw new ValueEncodeError(`${value} is beyond the range of a Java float (±${FLOAT_MAX})`, javaType);
  }
  return value;
}
