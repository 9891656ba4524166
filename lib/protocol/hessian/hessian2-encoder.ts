import hessian from 'hessian.js';

/**
 * Hessian2 writer for dubbo bodies: hessian.js's EncoderV2 with its value dispatch replaced where it
 * disagrees with what Dubbo's hessian-lite writes or expects:
 *
 * - bigint (and `{ $class: 'long' | 'java.lang.Long', $: bigint | string | number }`) → a 64-bit
 *   long, exact; out-of-range values throw instead of wrapping;
 * - integer numbers beyond ±2^53 are written as the exact long of the double they are (hessian.js
 *   goes through a lossy path), and beyond the long range as a double;
 * - doubles follow Hessian2Output.writeDouble byte for byte (int cast, the milli form), NaN and
 *   ±Infinity included (hessian.js writes NaN as null);
 * - Set → list (hessian.js writes an empty map), Map → untyped map of its entries;
 * - an invalid Date throws instead of writing garbage.
 *
 * Strings are CESU-8 (characters outside the BMP as two 3-byte surrogates) in 0x8000-char chunks,
 * as Java writes them; that part of hessian.js is right and is kept.
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TWO_63 = 2 ** 63;

const LONG_CLASSES = new Set(['long', 'java.lang.Long']);
const DOUBLE_CLASSES = new Set(['double', 'java.lang.Double', 'float', 'java.lang.Float']);

export class Hessian2Encoder extends hessian.EncoderV2 {
  constructor(initialSize = 8192) {
    super({ size: initialSize });
  }

  /** Writes raw, already-encoded bytes (a prepared prefix). */
  putBytes(bytes: Buffer): this {
    this.byteBuffer.put(bytes);
    return this;
  }

  putByte(value: number): this {
    this.byteBuffer.put(value);
    return this;
  }

  get length(): number {
    return this.byteBuffer.position();
  }

  /** The bytes written so far, as a fresh Buffer. */
  toBuffer(): Buffer {
    const bytes = this.byteBuffer._bytes;
    return Buffer.from(bytes.subarray(0, this.byteBuffer.position()));
  }

  /** The internal buffer and its used length, without copying (valid until the next write). */
  view(): Buffer {
    return this.byteBuffer._bytes.subarray(0, this.byteBuffer.position());
  }

  /**
   * Starts a new body whose reference and type tables already hold `refs` values and `types`,
   * for bodies that begin with a prepared prefix.
   */
  begin(refs: number, types: readonly string[]): this {
    this.reset();
    this.objects = new Array<unknown>(refs).fill(PLACEHOLDER);
    this._typeRefs = types.slice();
    return this;
  }

  /**
   * Strings of up to 0x8000 ASCII characters (the usual case: names, keys, short texts) are written
   * as one chunk with a native copy; anything else goes through hessian.js's CESU-8 writer.
   */
  override writeString(value: string): this {
    const length = value.length;
    if (length > 0x8000 || Buffer.byteLength(value, 'utf8') !== length) {
      return super.writeString(value);
    }
    const buf = this.byteBuffer as unknown as RawByteBuffer;
    buf._checkSize(buf._offset + length + 3);
    const bytes = buf._bytes;
    let at = buf._offset;
    if (length <= 31) {
      bytes[at++] = length;
    } else if (length <= 1023) {
      bytes[at++] = 0x30 + (length >> 8);
      bytes[at++] = length & 0xff;
    } else {
      bytes[at++] = 0x53;
      bytes[at++] = length >> 8;
      bytes[at++] = length & 0xff;
    }
    if (length > 0) {
      at += bytes.latin1Write(value, at, length);
    }
    buf._offset = at;
    return this;
  }

  writeBigLong(value: bigint): this {
    if (value < INT64_MIN || value > INT64_MAX) {
      throw new RangeError(`hessian: ${value} does not fit in a Java long`);
    }
    if (value >= -0x80000000n && value <= 0x7fffffffn) {
      return this.writeLong(Number(value));
    }
    this.byteBuffer.put(0x4c);
    const at = this.byteBuffer.position();
    this.byteBuffer.put(ZERO8);
    this.byteBuffer._bytes.writeBigInt64BE(value, at);
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

  override writeDouble(value: number): this {
    const buf = this.byteBuffer;
    const intValue = javaIntCast(value);
    if (intValue === value) {
      if (intValue === 0) {
        buf.put(0x5b);
        return this;
      }
      if (intValue === 1) {
        buf.put(0x5c);
        return this;
      }
      if (intValue >= -0x80 && intValue < 0x80) {
        buf.put(0x5d).put(intValue & 0xff);
        return this;
      }
      if (intValue >= -0x8000 && intValue < 0x8000) {
        buf.put(0x5e).put((intValue >> 8) & 0xff).put(intValue & 0xff);
        return this;
      }
    }
    const mills = javaIntCast(value * 1000);
    if (0.001 * mills === value) {
      buf.put(0x5f).putInt32(mills);
      return this;
    }
    buf.put(0x44);
    const at = buf.position();
    buf.put(ZERO8);
    buf._bytes.writeDoubleBE(value, at);
    return this;
  }

  override write(value: unknown): this {
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
      case 'function':
      case 'symbol':
        return this.writeNull();
      default:
        break;
    }
    if (value === null) {
      return this.writeNull();
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) {
        throw new RangeError('hessian: cannot write an invalid Date');
      }
      return this.writeDate(value);
    }
    if (Buffer.isBuffer(value)) {
      return this.writeBytes(value);
    }
    if (value instanceof Uint8Array) {
      return this.writeBytes(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    }
    if (Array.isArray(value)) {
      return this.writeList(value, '');
    }
    if (value instanceof Set) {
      return this.writeList([...(value as Set<unknown>)], '');
    }
    if (value instanceof Map) {
      return this.writeMap(value as Map<unknown, unknown>, '');
    }
    const wrapper = value as { $class?: unknown; $?: unknown };
    if (typeof wrapper.$class === 'string' && Object.prototype.hasOwnProperty.call(wrapper, '$')) {
      return this.writeWrapped(wrapper.$class, wrapper.$, value);
    }
    return this.writeMap(value as Record<string, unknown>, '');
  }

  /** `{ $class, $ }`: a value with an explicit Java type. */
  private writeWrapped(className: string, inner: unknown, whole: unknown): this {
    if (inner === null || inner === undefined) {
      return this.writeNull();
    }
    if (LONG_CLASSES.has(className)) {
      if (typeof inner === 'bigint') {
        return this.writeBigLong(inner);
      }
      if (typeof inner === 'string' && /^-?\d+$/.test(inner.trim())) {
        return this.writeBigLong(BigInt(inner.trim()));
      }
      if (typeof inner === 'number' && Number.isInteger(inner)) {
        return this.writeBigLong(BigInt(inner));
      }
      throw new TypeError(`hessian: ${String(inner)} is not a long`);
    }
    if (DOUBLE_CLASSES.has(className)) {
      return this.writeDouble(Number(inner));
    }
    if (Array.isArray(inner) || inner instanceof Set) {
      const items = Array.isArray(inner) ? inner : [...(inner as Set<unknown>)];
      const type = className === 'java.util.ArrayList' || className === 'java.util.List' ? '' : className;
      return this.writeList(items, type, whole);
    }
    // hessian.js handles the remaining typed forms (int, boolean, string, date, typed objects, maps).
    return super.write(whole);
  }

  private writeList(items: readonly unknown[], type: string, identity: unknown = items): this {
    if (this._checkRef(identity)) {
      return this;
    }
    this._writeListBegin(items.length, type);
    for (const item of items) {
      this.write(item);
    }
    return this;
  }

  private writeMap(map: Map<unknown, unknown> | Record<string, unknown>, type: string): this {
    if (this._checkRef(map)) {
      return this;
    }
    if (type) {
      this.byteBuffer.put(0x4d);
      this.writeType(type);
    } else {
      this.byteBuffer.put(0x48);
    }
    if (map instanceof Map) {
      for (const [k, v] of map) {
        this.write(k);
        this.write(v);
      }
    } else {
      for (const key of Object.keys(map)) {
        this.writeString(key);
        this.write(map[key]);
      }
    }
    this.byteBuffer.put(0x5a);
    return this;
  }
}

/** The parts of the `byte` package's ByteBuffer the string fast path uses. */
interface RawByteBuffer {
  _bytes: Buffer & { latin1Write(value: string, offset: number, length: number): number };
  _offset: number;
  _checkSize(size: number): void;
}

const PLACEHOLDER = Object.freeze({});
const ZERO8 = Buffer.alloc(8);

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
