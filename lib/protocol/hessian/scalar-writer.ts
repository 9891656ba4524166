import { ByteWriter } from './byte-writer.js';
import { INT64_MAX, INT64_MIN, TWO_63 } from './declared-type.js';
import { ValueEncodeError } from './encode-errors.js';

/**
 * Hessian2's scalar values, in the compact forms Java's Hessian2Output writes: null, boolean, int,
 * long (a safe-integer number or a range-checked bigint), double (`writeDouble`'s int, byte, short
 * and milli forms), date (whole minutes compactly), binary (4093-byte chunks) and strings (CESU-8:
 * characters outside the BMP as two 3-byte surrogates, 0x8000-unit chunks, an ASCII fast path).
 */
export class ScalarWriter extends ByteWriter {
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
    } else if (value >= -0x40000 && value <= 0x3ffff) {
      this.put3(0xd4 + (value >> 16), (value >> 8) & 0xff, value & 0xff);
    } else {
      this.putInt32(0x49, value);
    }
    return this;
  }

  /** A long of a safe integer number, in Hessian2's compact forms. */
  writeLong(value: number): this {
    if (value >= -8 && value <= 15) {
      return this.putByte(0xe0 + value);
    }
    if (value >= -2048 && value <= 2047) {
      this.put2(0xf8 + (value >> 8), value & 0xff);
    } else if (value >= -262144 && value <= 262143) {
      this.put3(0x3c + (value >> 16), (value >> 8) & 0xff, value & 0xff);
    } else if (value >= -0x80000000 && value <= 0x7fffffff) {
      this.putInt32(0x59, value);
    } else {
      return this.writeBigLong(BigInt(value));
    }
    return this;
  }

  writeBigLong(value: bigint): this {
    if (value < INT64_MIN || value > INT64_MAX) {
      throw new ValueEncodeError(`${value} does not fit in a Java long`, 'long');
    }
    if (value >= -0x80000000n && value <= 0x7fffffffn) {
      return this.writeLong(Number(value));
    }
    this.putInt64(0x4c, value);
    return this;
  }

  /** An integer-valued number as int or long (exact beyond 2^53), any other as a double. */
  protected writeNumber(value: number): this {
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
        this.put3(0x5e, (intValue >> 8) & 0xff, intValue & 0xff);
        return this;
      }
    }
    const mills = javaIntCast(value * 1000);
    if (0.001 * mills === value) {
      this.putInt32(0x5f, mills);
    } else {
      this.putFloat64(0x44, value);
    }
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
    this.putInt64(0x4a, BigInt(Math.trunc(ms)));
    return this;
  }

  /** Binary in the forms hessian.js used (direct up to 15 bytes, 4093-byte chunks beyond 1023). */
  writeBytes(bytes: Uint8Array): this {
    const length = bytes.length;
    this.expectAtLeast(length);
    if (length <= 15) {
      this.putByte(0x20 + length);
      this.putRaw(bytes, 0, length);
      return this;
    }
    let offset = 0;
    while (length - offset > 4093) {
      this.put3(0x41, 4093 >> 8, 4093 & 0xff);
      this.putRaw(bytes, offset, offset + 4093);
      offset += 4093;
    }
    const left = length - offset;
    if (left <= 15) {
      this.putByte(0x20 + left);
    } else if (left <= 1023) {
      this.put2(0x34 + (left >> 8), left & 0xff);
    } else {
      this.put3(0x42, left >> 8, left & 0xff);
    }
    this.putRaw(bytes, offset, length);
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
      this.put3(0x52, sub >> 8, sub & 0xff);
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
      this.put3(0x53, length >> 8, length & 0xff);
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
}

/** Node's native one-byte string copy (Buffer#write's latin1 path without the argument juggling). */
interface Latin1Buffer {
  latin1Write(value: string, offset: number, length: number): number;
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
