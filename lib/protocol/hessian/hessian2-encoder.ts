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
import { describeValue } from '../../utils/describe-value.js';
import { keySegment, PayloadLimitError, ValueEncodeError } from './encode-errors.js';
import { dateOf, DURATION_HANDLE, durationOf, INSTANT_HANDLE, instantOf, uuidOf, UUID_CLASS } from './java-values.js';

/**
 * Hessian2 writer for dubbo bodies, byte-compatible with what Dubbo's hessian-lite reads and with
 * the forms hessian.js wrote before it (golden vectors under test/fixtures/vectors):
 *
 * - a byte budget (`limit`) checked as the body grows, and before a string, list or map whose
 *   smallest possible encoding is already over it — a 1e9-element array fails at once;
 * - back-references, type names and class definitions looked up in Maps (O(1) per value);
 * - numbers: integers as int/long (exact beyond 2^53), others as doubles with
 *   Hessian2Output.writeDouble's forms; bigint as a range-checked long; NaN kept;
 * - a declared Java type (`writeDeclared`, and `{ $class, $ }` values) is enforced: an `int` given
 *   2^40 or 1.5 is refused with the value's path instead of arriving as 0 or 1;
 * - functions, symbols, invalid Dates and nesting deeper than MAX_DEPTH are refused, not sent as null;
 * - strings in CESU-8 (characters outside the BMP as two 3-byte surrogates), 0x8000-char chunks.
 *
 * Not re-entrant; one body at a time (`begin` … `toBuffer`).
 */

/** Containers nested deeper than this are refused: no real payload comes close, a hostile one would. */
export const MAX_DEPTH = 512;
/** The buffer is given back after a body that grew it past this, so one large call does not pin memory. */
const HIGH_WATER = 256 * 1024;

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

interface ClassDef {
  index: number;
  fields: readonly string[];
}

export class Hessian2Encoder {
  private buf: Buffer;
  private pos = 0;
  /** min(capacity, limit): a write that needs more either grows the buffer or is over the limit. */
  private room: number;
  private limit = Number.POSITIVE_INFINITY;
  private readonly initialSize: number;
  private refs = new Map<object, number>();
  private nextRef = 0;
  private typeRefs = new Map<string, number>();
  private classDefs = new Map<string, ClassDef>();
  private depth = 0;

  constructor(initialSize = 8192) {
    this.initialSize = initialSize;
    this.buf = Buffer.allocUnsafe(initialSize);
    this.room = initialSize;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** Current capacity of the internal buffer (tests watch it shrink back). */
  get capacity(): number {
    return this.buf.length;
  }

  /** Empties the body; reference, type and class tables start afresh. */
  reset(): this {
    this.pos = 0;
    this.depth = 0;
    if (this.refs.size > 0) {
      this.refs = new Map();
    }
    this.nextRef = 0;
    if (this.typeRefs.size > 0) {
      this.typeRefs = new Map();
    }
    if (this.classDefs.size > 0) {
      this.classDefs = new Map();
    }
    return this;
  }

  /**
   * Starts a new body whose reference and type tables already hold `refs` values and `types`, for
   * bodies that begin with a prepared prefix. `limit` bounds the whole body, prefix included.
   */
  begin(refs: number, types: readonly string[], limit = Number.POSITIVE_INFINITY): this {
    this.reset();
    this.nextRef = refs;
    for (let i = 0; i < types.length; i++) {
      this.typeRefs.set(types[i]!, i);
    }
    this.setLimit(limit);
    return this;
  }

  setLimit(limit: number): this {
    this.limit = limit;
    this.room = Math.min(this.buf.length, limit);
    return this;
  }

  /** Gives a grown buffer back (call between bodies). */
  release(): void {
    if (this.buf.length > HIGH_WATER) {
      this.buf = Buffer.allocUnsafe(this.initialSize);
    }
    this.pos = 0;
    // Drop what the body referenced (it may be large), without a new Map per call when empty.
    if (this.refs.size > 0) {
      this.refs = new Map();
    }
    if (this.classDefs.size > 0) {
      this.classDefs = new Map();
    }
    this.room = Math.min(this.buf.length, this.limit);
  }

  /** The bytes written so far, as a fresh Buffer. */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  /** The internal buffer's used part, without copying (valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private ensure(bytes: number): void {
    const need = this.pos + bytes;
    if (need > this.room) {
      this.grow(need);
    }
  }

  private grow(need: number): void {
    if (need > this.limit) {
      throw new PayloadLimitError(this.limit);
    }
    let size = this.buf.length * 2;
    while (size < need) {
      size *= 2;
    }
    size = Math.min(size, Math.max(need, this.limit));
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.room = Math.min(size, this.limit);
  }

  /** Fails at once when even the smallest encoding of what follows cannot fit. */
  private expectAtLeast(bytes: number): void {
    if (this.pos + bytes > this.limit) {
      throw new PayloadLimitError(this.limit);
    }
  }

  putBytes(bytes: Buffer): this {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.pos);
    this.pos += bytes.length;
    return this;
  }

  putByte(value: number): this {
    this.ensure(1);
    this.buf[this.pos++] = value;
    return this;
  }

  private put2(a: number, b: number): void {
    this.ensure(2);
    this.buf[this.pos++] = a;
    this.buf[this.pos++] = b;
  }

  private putInt32(code: number, value: number): void {
    this.ensure(5);
    this.buf[this.pos] = code;
    this.buf.writeInt32BE(value, this.pos + 1);
    this.pos += 5;
  }

  writeNull(): this {
    return this.putByte(0x4e);
  }

  writeBool(value: boolean): this {
    return this.putByte(value ? 0x54 : 0x46);
  }

  writeInt(value: number): this {
    if (value >= -0x10 && value <= 0x2f) {
      return this.putByte(0x90 + value);
    }
    if (value >= -0x800 && value <= 0x7ff) {
      this.put2(0xc8 + (value >> 8), value & 0xff);
      return this;
    }
    if (value >= -0x40000 && value <= 0x3ffff) {
      this.ensure(3);
      this.buf[this.pos++] = 0xd4 + (value >> 16);
      this.buf[this.pos++] = (value >> 8) & 0xff;
      this.buf[this.pos++] = value & 0xff;
      return this;
    }
    this.putInt32(0x49, value);
    return this;
  }

  /** A long of a safe integer number, in Hessian2's compact forms. */
  writeLong(value: number): this {
    if (value >= -8 && value <= 15) {
      return this.putByte(0xe0 + value);
    }
    if (value >= -2048 && value <= 2047) {
      this.put2(0xf8 + (value >> 8), value & 0xff);
      return this;
    }
    if (value >= -262144 && value <= 262143) {
      this.ensure(3);
      this.buf[this.pos++] = 0x3c + (value >> 16);
      this.buf[this.pos++] = (value >> 8) & 0xff;
      this.buf[this.pos++] = value & 0xff;
      return this;
    }
    if (value >= -0x80000000 && value <= 0x7fffffff) {
      this.putInt32(0x59, value);
      return this;
    }
    return this.writeBigLong(BigInt(value));
  }

  writeBigLong(value: bigint): this {
    if (value < INT64_MIN || value > INT64_MAX) {
      throw new ValueEncodeError(`${value} does not fit in a Java long`, 'long');
    }
    if (value >= -0x80000000n && value <= 0x7fffffffn) {
      return this.writeLong(Number(value));
    }
    this.ensure(9);
    this.buf[this.pos] = 0x4c;
    this.buf.writeBigInt64BE(value, this.pos + 1);
    this.pos += 9;
    return this;
  }

  private writeNumber(value: number): this {
    if (Number.isInteger(value)) {
      if (value >= -0x80000000 && value <= 0x7fffffff) {
        return this.writeInt(value);
      }
      if (Number.isSafeInteger(value)) {
        return this.writeLong(value);
      }
      if (value >= -TWO_63 && value < TWO_63) {
        return this.writeBigLong(BigInt(value));
      }
    }
    return this.writeDouble(value);
  }

  /** Hessian2Output.writeDouble, byte for byte: the int, byte, short and milli forms first. */
  writeDouble(value: number): this {
    const intValue = javaIntCast(value);
    if (intValue === value) {
      if (intValue === 0) {
        return this.putByte(0x5b);
      }
      if (intValue === 1) {
        return this.putByte(0x5c);
      }
      if (intValue >= -0x80 && intValue < 0x80) {
        this.put2(0x5d, intValue & 0xff);
        return this;
      }
      if (intValue >= -0x8000 && intValue < 0x8000) {
        this.ensure(3);
        this.buf[this.pos++] = 0x5e;
        this.buf[this.pos++] = (intValue >> 8) & 0xff;
        this.buf[this.pos++] = intValue & 0xff;
        return this;
      }
    }
    const mills = javaIntCast(value * 1000);
    if (0.001 * mills === value) {
      this.putInt32(0x5f, mills);
      return this;
    }
    this.ensure(9);
    this.buf[this.pos] = 0x44;
    this.buf.writeDoubleBE(value, this.pos + 1);
    this.pos += 9;
    return this;
  }

  /** Hessian2Output.writeUTCDate: whole minutes in the compact form. */
  writeDate(value: Date | number): this {
    const ms = typeof value === 'number' ? value : value.getTime();
    if (!Number.isFinite(ms)) {
      throw new ValueEncodeError('an invalid Date cannot be sent', 'java.util.Date');
    }
    if (ms % 60000 === 0) {
      const minutes = ms / 60000;
      if (minutes >= -0x80000000 && minutes <= 0x7fffffff) {
        this.putInt32(0x4b, minutes);
        return this;
      }
    }
    this.ensure(9);
    this.buf[this.pos] = 0x4a;
    this.buf.writeBigInt64BE(BigInt(Math.trunc(ms)), this.pos + 1);
    this.pos += 9;
    return this;
  }

  /** Binary in the forms hessian.js used (direct up to 15 bytes, 4093-byte chunks beyond 1023). */
  writeBytes(bytes: Uint8Array): this {
    const length = bytes.length;
    this.expectAtLeast(length);
    if (length <= 15) {
      this.putByte(0x20 + length);
      return this.putRaw(bytes, 0, length);
    }
    let offset = 0;
    while (length - offset > 4093) {
      this.ensure(3);
      this.buf[this.pos++] = 0x41;
      this.buf[this.pos++] = 4093 >> 8;
      this.buf[this.pos++] = 4093 & 0xff;
      this.putRaw(bytes, offset, offset + 4093);
      offset += 4093;
    }
    const left = length - offset;
    if (left <= 15) {
      this.putByte(0x20 + left);
    } else if (left <= 1023) {
      this.put2(0x34 + (left >> 8), left & 0xff);
    } else {
      this.ensure(3);
      this.buf[this.pos++] = 0x42;
      this.buf[this.pos++] = left >> 8;
      this.buf[this.pos++] = left & 0xff;
    }
    return this.putRaw(bytes, offset, length);
  }

  private putRaw(bytes: Uint8Array, from: number, to: number): this {
    this.ensure(to - from);
    this.buf.set(bytes.subarray(from, to), this.pos);
    this.pos += to - from;
    return this;
  }

  writeString(value: string): this {
    const length = value.length;
    // Every UTF-16 unit takes at least one byte.
    this.expectAtLeast(length);
    if (length <= 0x8000 && Buffer.byteLength(value, 'utf8') === length) {
      this.stringHeader(length);
      this.ensure(length);
      this.pos += (this.buf as unknown as Latin1Buffer).latin1Write(value, this.pos, length);
      return this;
    }
    let offset = 0;
    while (length - offset > 0x8000) {
      let sub = 0x8000;
      const tail = value.charCodeAt(offset + sub - 1);
      // A chunk never ends between the two halves of a surrogate pair.
      if (tail >= 0xd800 && tail <= 0xdbff) {
        sub--;
      }
      this.ensure(3);
      this.buf[this.pos++] = 0x52;
      this.buf[this.pos++] = sub >> 8;
      this.buf[this.pos++] = sub & 0xff;
      this.putCesu8(value, offset, offset + sub);
      offset += sub;
    }
    this.stringHeader(length - offset);
    this.putCesu8(value, offset, length);
    return this;
  }

  private stringHeader(length: number): void {
    if (length <= 31) {
      this.putByte(length);
    } else if (length <= 1023) {
      this.put2(0x30 + (length >> 8), length & 0xff);
    } else {
      this.ensure(3);
      this.buf[this.pos++] = 0x53;
      this.buf[this.pos++] = length >> 8;
      this.buf[this.pos++] = length & 0xff;
    }
  }

  /** UTF-16 units from..to as CESU-8: each unit on its own, surrogates as 3 bytes, as Java writes. */
  private putCesu8(value: string, from: number, to: number): void {
    this.ensure((to - from) * 3);
    const buf = this.buf;
    let at = this.pos;
    for (let i = from; i < to; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x80) {
        buf[at++] = c;
      } else if (c < 0x800) {
        buf[at++] = 0xc0 | (c >> 6);
        buf[at++] = 0x80 | (c & 0x3f);
      } else {
        buf[at++] = 0xe0 | (c >> 12);
        buf[at++] = 0x80 | ((c >> 6) & 0x3f);
        buf[at++] = 0x80 | (c & 0x3f);
      }
    }
    this.pos = at;
  }

  /** A type name: its index when written before in this body, else the name (and it is remembered). */
  writeType(type: string): this {
    const ref = this.typeRefs.get(type);
    if (ref !== undefined) {
      return this.writeInt(ref);
    }
    this.typeRefs.set(type, this.typeRefs.size);
    return this.writeString(type);
  }

  /** A back-reference when `identity` was written before in this body; otherwise registers it. */
  private writeRefIfSeen(identity: object): boolean {
    const ref = this.refs.get(identity);
    if (ref !== undefined) {
      this.putByte(0x51);
      this.writeInt(ref);
      return true;
    }
    this.refs.set(identity, this.nextRef++);
    return false;
  }

  private listHeader(length: number, type: string): void {
    if (length <= 7) {
      if (type) {
        this.putByte(0x70 + length);
        this.writeType(type);
      } else {
        this.putByte(0x78 + length);
      }
      return;
    }
    if (type) {
      this.putByte(0x56);
      this.writeType(type);
    } else {
      this.putByte(0x58);
    }
    this.writeInt(length);
  }

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
    if (typeof value === 'object' && typeof (value as { $class?: unknown }).$class === 'string' && Object.prototype.hasOwnProperty.call(value, '$')) {
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
          throw new ValueEncodeError(`${describeValue(value)} is not a ${type.javaType}: send a Date, epoch milliseconds or an ISO date-time`, type.javaType);
        }
        return this.writeObject(type.javaType, { value: date }, {});
      }
      case Kind.Instant: {
        const instant = instantOf(value);
        if (instant === undefined) {
          throw new ValueEncodeError(`${describeValue(value)} is not a ${type.javaType}: send an ISO instant ("2024-01-02T03:04:05.123456789Z"), a Date or epoch milliseconds`, type.javaType);
        }
        return this.writeObject(INSTANT_HANDLE, { seconds: { $class: 'long', $: instant.seconds }, nanos: instant.nanos }, {});
      }
      case Kind.Duration: {
        const duration = durationOf(value);
        if (duration === undefined) {
          throw new ValueEncodeError(`${describeValue(value)} is not a ${type.javaType}: send an ISO-8601 duration ("PT1M30.5S") or milliseconds`, type.javaType);
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
      throw new ValueEncodeError(`${describeValue(value)} is not a ${javaType}: send an integer (number, bigint or decimal string)`, javaType);
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
      throw new ValueEncodeError(`${describeValue(value)} is not a ${javaType}: send an integer (number, bigint or decimal string)`, javaType);
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

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      throw new ValueEncodeError(`values nested deeper than ${MAX_DEPTH} levels cannot be sent`);
    }
  }

  private writeList(items: readonly unknown[], type: string, identity: object, element: DeclaredType | undefined): this {
    if (this.writeRefIfSeen(identity)) {
      return this;
    }
    const length = items.length;
    // Each item takes at least one byte: a sparse 1e9-element array fails here, before any loop.
    this.expectAtLeast(length + 1);
    this.enter();
    this.listHeader(length, type);
    for (let i = 0; i < length; i++) {
      try {
        this.writeDeclared(items[i], element);
      } catch (err) {
        throw within(err, `[${i}]`);
      }
    }
    this.depth--;
    return this;
  }

  private writeMap(map: Map<unknown, unknown> | Record<string, unknown>, type: string, identity: object): this {
    if (this.writeRefIfSeen(identity)) {
      return this;
    }
    this.enter();
    if (type) {
      this.putByte(0x4d);
      this.writeType(type);
    } else {
      this.putByte(0x48);
    }
    if (map instanceof Map) {
      this.expectAtLeast(map.size * 2 + 1);
      for (const [k, v] of map) {
        try {
          this.write(k);
          this.write(v);
        } catch (err) {
          throw within(err, typeof k === 'string' ? keySegment(k) : `[${describeValue(k)}]`);
        }
      }
    } else {
      const keys = Object.keys(map);
      this.expectAtLeast(keys.length * 2 + 1);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        try {
          this.writeString(key);
          this.write(map[key]);
        } catch (err) {
          throw within(err, keySegment(key));
        }
      }
    }
    this.putByte(0x5a);
    this.depth--;
    return this;
  }

  /**
   * A typed object: its class definition the first time the class appears in the body (fields in
   * the order of that first object), an instance reference after.
   */
  private writeObject(className: string, fields: Record<string, unknown>, identity: object): this {
    if (this.writeRefIfSeen(identity)) {
      return this;
    }
    this.enter();
    let def = this.classDefs.get(className);
    if (def === undefined) {
      const names = Object.keys(fields);
      this.expectAtLeast(names.length * 2 + 2);
      def = { index: this.classDefs.size, fields: names };
      this.classDefs.set(className, def);
      this.putByte(0x43);
      this.writeString(className);
      this.writeInt(names.length);
      for (const name of names) {
        this.writeString(name);
      }
    }
    if (def.index <= 15) {
      this.putByte(0x60 + def.index);
    } else {
      this.putByte(0x4f);
      this.writeInt(def.index);
    }
    for (const name of def.fields) {
      try {
        this.write(fields[name]);
      } catch (err) {
        throw within(err, keySegment(name));
      }
    }
    this.depth--;
    return this;
  }
}

/** Node's native one-byte string copy (Buffer#write's latin1 path without the argument juggling). */
interface Latin1Buffer {
  latin1Write(value: string, offset: number, length: number): number;
}

/** Value classes whose `{ $class, $ }` may carry the JS form (a Date, a string) instead of fields. */
const VALUE_TYPES = new Map<string, DeclaredType>(
  ['java.sql.Timestamp', 'java.sql.Date', 'java.sql.Time', 'java.time.Instant', 'java.time.Duration', 'java.util.UUID'].map((name) => [
    name,
    declaredType(name)!,
  ]),
);

function within(err: unknown, segment: string): unknown {
  return err instanceof ValueEncodeError ? err.within(segment) : err;
}

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

/** Java's `(int) double`: truncation toward zero, NaN → 0, saturating at the int range. */
function javaIntCast(value: number): number {
  if (Number.isNaN(value)) {
    return 0;
  }
  if (value >= 2147483647) {
    return 2147483647;
  }
  if (value <= -2147483648) {
    return -2147483648;
  }
  return Math.trunc(value) | 0;
}
