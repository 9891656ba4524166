import { ByteReader } from './byte-reader.js';

const TWO_32 = 0x100000000;

/**
 * Hessian2's scalar values, each read after its leading byte (`code`): int, long (64-bit values
 * beyond ±2^53 as bigint, never rounded), double (every compact form, with hessian-lite's
 * arithmetic), date, binary (copied out of the frame: a view would pin the socket chunk) and
 * strings (CESU-8 as Java writes it, 4-byte UTF-8 accepted, ASCII fast path). No length read from
 * the bytes makes it read or allocate beyond the body.
 */
export class ScalarReader extends ByteReader {
  /** An int in any of its forms (also used for lengths, indexes and type references). */
  readInt(): number {
    return this.intOf(this.byte());
  }

  protected intOf(code: number): number {
    if (code >= 0x80 && code <= 0xbf) {
      return code - 0x90;
    }
    if (code >= 0xc0 && code <= 0xcf) {
      return ((code - 0xc8) << 8) + this.byte();
    }
    if (code >= 0xd0 && code <= 0xd7) {
      this.need(2);
      const value = ((code - 0xd4) << 16) + this.bytes.readUInt16BE(this.pos);
      this.pos += 2;
      return value;
    }
    if (code === 0x49) {
      this.need(4);
      const value = this.bytes.readInt32BE(this.pos);
      this.pos += 4;
      return value;
    }
    throw new TypeError(`hessian: expected an int, got code 0x${code.toString(16)} at byte ${this.pos - 1}`);
  }

  protected int64(): number | bigint {
    this.need(8);
    const bytes = this.bytes;
    const at = this.pos;
    this.pos += 8;
    const high = bytes.readInt32BE(at);
    // Safe integers stay numbers; anything wider is exact as a bigint, never rounded.
    if (high <= 0x1fffff && high >= -0x200000) {
      const value = high * TWO_32 + bytes.readUInt32BE(at + 4);
      if (Number.isSafeInteger(value)) {
        return value;
      }
    }
    return bytes.readBigInt64BE(at);
  }

  protected longOf(code: number): number | bigint {
    if (code >= 0xd8 && code <= 0xef) {
      return code - 0xe0;
    }
    if (code >= 0xf0) {
      return ((code - 0xf8) << 8) + this.byte();
    }
    if (code >= 0x38 && code <= 0x3f) {
      this.need(2);
      const value = ((code - 0x3c) << 16) + this.bytes.readUInt16BE(this.pos);
      this.pos += 2;
      return value;
    }
    if (code === 0x59) {
      this.need(4);
      const value = this.bytes.readInt32BE(this.pos);
      this.pos += 4;
      return value;
    }
    return this.int64();
  }

  protected doubleOf(code: number): number {
    const bytes = this.bytes;
    const at = this.pos;
    switch (code) {
      case 0x5b:
        return 0;
      case 0x5c:
        return 1;
      case 0x5d:
        this.need(1);
        this.pos += 1;
        return bytes.readInt8(at);
      case 0x5e:
        this.need(2);
        this.pos += 2;
        return bytes.readInt16BE(at);
      case 0x5f:
        this.need(4);
        this.pos += 4;
        // Same arithmetic as hessian-lite (0.001 * mills), so the same double comes out.
        return 0.001 * bytes.readInt32BE(at);
      default:
        this.need(8);
        this.pos += 8;
        return bytes.readDoubleBE(at);
    }
  }

  protected dateOf(code: number): Date {
    if (code === 0x4b) {
      this.need(4);
      const minutes = this.bytes.readInt32BE(this.pos);
      this.pos += 4;
      return new Date(minutes * 60000);
    }
    const ms = this.int64();
    return new Date(typeof ms === 'bigint' ? Number.NaN : ms);
  }

  protected bytesOf(first: number): Buffer {
    let code = first;
    const parts: Buffer[] = [];
    for (;;) {
      let length: number;
      if (code >= 0x20 && code <= 0x2f) {
        length = code - 0x20;
      } else if (code >= 0x34 && code <= 0x37) {
        length = (code - 0x34) * 256 + this.byte();
      } else if (code === 0x41 || code === 0x42) {
        this.need(2);
        length = this.bytes.readUInt16BE(this.pos);
        this.pos += 2;
      } else {
        throw new TypeError(`hessian: unexpected binary chunk code 0x${code.toString(16)}`);
      }
      this.need(length);
      parts.push(this.bytes.subarray(this.pos, this.pos + length));
      this.pos += length;
      if (code !== 0x41) {
        break;
      }
      code = this.byte();
    }
    // Copied: a view would keep the whole socket chunk alive.
    return parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts);
  }

  /** A string value (the leading byte is read by the caller or here). */
  readString(): string {
    return this.stringOf(this.byte());
  }

  protected stringOf(first: number): string {
    let code = first;
    let out = '';
    for (;;) {
      let length: number;
      let final = true;
      if (code <= 0x1f) {
        length = code;
      } else if (code >= 0x30 && code <= 0x33) {
        length = (code - 0x30) * 256 + this.byte();
      } else if (code === 0x53 || code === 0x52) {
        this.need(2);
        length = this.bytes.readUInt16BE(this.pos);
        this.pos += 2;
        final = code === 0x53;
      } else {
        throw new TypeError(`hessian: expected a string chunk, got code 0x${code.toString(16)} at byte ${this.pos - 1}`);
      }
      const chunk = this.chars(length);
      out = out === '' ? chunk : out + chunk;
      if (final) {
        return out;
      }
      code = this.byte();
    }
  }

  /** `length` UTF-16 units of CESU-8 (or UTF-8) text. */
  private chars(length: number): string {
    // Every unit takes at least one byte.
    this.need(length);
    const bytes = this.bytes;
    const start = this.pos;
    const asciiEnd = start + length;
    let i = start;
    while (i < asciiEnd && bytes[i]! < 0x80) {
      i++;
    }
    if (i === asciiEnd) {
      this.pos = asciiEnd;
      return (bytes as unknown as Latin1Slicer).latin1Slice(start, asciiEnd);
    }
    const units: number[] = [];
    for (let k = start; k < i; k++) {
      units.push(bytes[k]!);
    }
    let at = i;
    while (units.length < length) {
      if (at >= this.end) {
        throw new RangeError(`hessian: string truncated at byte ${at}`);
      }
      const b = bytes[at]!;
      if (b < 0x80) {
        units.push(b);
        at += 1;
      } else if ((b & 0xe0) === 0xc0) {
        this.needAt(at, 2);
        units.push(((b & 0x1f) << 6) | (bytes[at + 1]! & 0x3f));
        at += 2;
      } else if ((b & 0xf0) === 0xe0) {
        this.needAt(at, 3);
        units.push(((b & 0x0f) << 12) | ((bytes[at + 1]! & 0x3f) << 6) | (bytes[at + 2]! & 0x3f));
        at += 3;
      } else if ((b & 0xf8) === 0xf0) {
        // 4-byte UTF-8 (not what Java writes, but valid): one code point, two units.
        this.needAt(at, 4);
        const cp = ((b & 0x07) << 18) | ((bytes[at + 1]! & 0x3f) << 12) | ((bytes[at + 2]! & 0x3f) << 6) | (bytes[at + 3]! & 0x3f);
        const v = cp - 0x10000;
        units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
        at += 4;
      } else {
        throw new TypeError(`hessian: bad UTF-8 byte 0x${b.toString(16)} at byte ${at}`);
      }
    }
    this.pos = at;
    let text = '';
    for (let k = 0; k < units.length; k += 8192) {
      text += String.fromCharCode(...units.slice(k, k + 8192));
    }
    return text;
  }
}

/** Node's native one-byte string slice (Buffer#toString's latin1 path without the argument checks). */
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}
