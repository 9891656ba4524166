import { PayloadLimitError } from './encode-errors.js';

/** The buffer is given back after a body that grew it past this, so one large call does not pin memory. */
const HIGH_WATER = 256 * 1024;

/**
 * The growable byte buffer under the Hessian2 writer, with the body's byte budget: `limit` is
 * checked as the buffer grows, and `expectAtLeast` fails before a value whose smallest encoding is
 * already over it. A grown buffer is given back after the body (`release`).
 */
export class ByteWriter {
  protected buf: Buffer;
  protected pos = 0;
  /** min(capacity, limit): a write that needs more either grows the buffer or is over the limit. */
  protected room: number;
  protected limit = Number.POSITIVE_INFINITY;
  private readonly initialSize: number;

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

  /** Empties the body. */
  reset(): this {
    this.pos = 0;
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
    this.room = Math.min(this.buf.length, this.limit);
  }

  /** The bytes written so far, as a fresh Buffer. */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  protected ensure(bytes: number): void {
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
  protected expectAtLeast(bytes: number): void {
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

  protected put2(a: number, b: number): void {
    this.ensure(2);
    this.buf[this.pos++] = a;
    this.buf[this.pos++] = b;
  }

  protected put3(a: number, b: number, c: number): void {
    this.ensure(3);
    this.buf[this.pos++] = a;
    this.buf[this.pos++] = b;
    this.buf[this.pos++] = c;
  }

  /** A code byte and a big-endian int32. */
  protected putInt32(code: number, value: number): void {
    this.ensure(5);
    this.buf[this.pos] = code;
    this.buf.writeInt32BE(value, this.pos + 1);
    this.pos += 5;
  }

  /** A code byte and a big-endian int64. */
  protected putInt64(code: number, value: bigint): void {
    this.ensure(9);
    this.buf[this.pos] = code;
    this.buf.writeBigInt64BE(value, this.pos + 1);
    this.pos += 9;
  }

  /** A code byte and a big-endian double. */
  protected putFloat64(code: number, value: number): void {
    this.ensure(9);
    this.buf[this.pos] = code;
    this.buf.writeDoubleBE(value, this.pos + 1);
    this.pos += 9;
  }

  protected putRaw(bytes: Uint8Array, from: number, to: number): void {
    this.ensure(to - from);
    this.buf.set(bytes.subarray(from, to), this.pos);
    this.pos += to - from;
  }
}
