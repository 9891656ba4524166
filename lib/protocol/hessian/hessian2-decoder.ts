import hessian from 'hessian.js';

/**
 * Hessian2 reader for dubbo bodies: hessian.js's DecoderV2 with the places where it disagrees with
 * Dubbo's hessian-lite, or is unsafe on untrusted bytes, replaced:
 *
 * - long: 64-bit values beyond ±2^53 come back as bigint (hessian.js returns a string);
 * - maps and objects: plain objects whose keys are set as own properties, so `__proto__` never
 *   reaches a prototype; no hidden `$map` copy; non-string keys become their string form;
 * - objects (class definitions): plain objects of their fields, registered for back-references
 *   before their fields are read (a Throwable's `cause` points at itself); the Java class is kept
 *   out of band (`javaClassOf`). BigDecimal becomes its decimal string, BigInteger a number or bigint;
 *   hessian.js turns anything named `*Exception` into a lossy Error instead;
 * - lists: the variable-length forms `0x55`/`0x57` are read (hessian.js rejects them);
 * - byte arrays are copied out of the frame (a view would pin the socket chunk);
 * - every value read is bounds-checked: truncated input throws instead of yielding undefined.
 *
 * One instance per frame body: class, type and reference tables span the whole body, as in Java.
 */

const javaClasses = new WeakMap<object, string>();

/** The Java class a decoded object (class-definition instance) was written as, if any. */
export function javaClassOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? javaClasses.get(value) : undefined;
}

const INNER_CLASS_FIELD = /^this\$\d+$/;

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function keyOf(key: unknown): string {
  if (typeof key === 'string') {
    return key;
  }
  if (typeof key === 'object' && key !== null && typeof (key as { name?: unknown }).name === 'string') {
    // An enum key arrives as an object with its constant in `name`.
    return (key as { name: string }).name;
  }
  return String(key);
}

const BYTE_CODES: Record<number, string> = {};
function codes(method: string, ...ranges: Array<number | [number, number]>): void {
  for (const r of ranges) {
    const [from, to] = typeof r === 'number' ? [r, r] : r;
    for (let c = from; c <= to; c++) {
      BYTE_CODES[c] = method;
    }
  }
}
codes('readNull', 0x4e);
codes('readBool', 0x46, 0x54);
codes('readInt', [0x80, 0xbf], [0xc0, 0xcf], [0xd0, 0xd7], 0x49);
codes('readLong', [0xd8, 0xef], [0xf0, 0xff], [0x38, 0x3f], 0x59, 0x4c);
codes('readDouble', 0x44, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f);
codes('readDate', 0x4a, 0x4b);
codes('readBytes', 0x41, 0x42, [0x20, 0x2f], [0x34, 0x37]);
codes('readString', 0x52, 0x53, [0x00, 0x1f], [0x30, 0x33]);
codes('readObject', 0x43, 0x4f, [0x60, 0x6f]);
codes('readRef', 0x51);
codes('readList', 0x55, 0x56, 0x57, 0x58, [0x70, 0x77], [0x78, 0x7f]);
codes('readHashMap', 0x48);
codes('readTypedMap', 0x4d);

const TWO_32 = 0x100000000;

export class Hessian2Decoder extends hessian.DecoderV2 {
  private readonly end: number;

  constructor(body: Buffer) {
    super(body);
    this.BYTE_CODES = BYTE_CODES;
    this.end = body.length;
  }

  /** Position in the body of the next byte to read. */
  get offset(): number {
    return this.byteBuffer.position();
  }

  get atEnd(): boolean {
    return this.byteBuffer.position() >= this.end;
  }

  override read(): unknown {
    const pos = this.byteBuffer.position();
    if (pos >= this.end) {
      throw new RangeError(`hessian: body truncated at byte ${pos}`);
    }
    const code = this.byteBuffer.get(pos);
    const method = BYTE_CODES[code];
    if (method === undefined) {
      throw new TypeError(`hessian: unexpected code 0x${code.toString(16)} at byte ${pos}`);
    }
    const value = (this as unknown as Record<string, () => unknown>)[method]!.call(this);
    if (this.byteBuffer.position() > this.end) {
      throw new RangeError(`hessian: value at byte ${pos} runs past the end of the body`);
    }
    return value;
  }

  private need(bytes: number): void {
    if (this.byteBuffer.position() + bytes > this.end) {
      throw new RangeError(`hessian: body truncated at byte ${this.byteBuffer.position()}`);
    }
  }

  /** Fast path for whole ASCII strings (most names and values); anything else goes to hessian.js. */
  override readString(): string {
    const buf = this.byteBuffer;
    const bytes = buf._bytes;
    const pos = buf.position();
    const code = bytes[pos]!;
    let length: number;
    let start: number;
    if (code < 0x20) {
      length = code;
      start = pos + 1;
    } else if (code >= 0x30 && code <= 0x33) {
      length = (code - 0x30) * 256 + (bytes[pos + 1] ?? 0);
      start = pos + 2;
    } else if (code === 0x53 && pos + 3 <= this.end) {
      length = bytes.readUInt16BE(pos + 1);
      start = pos + 3;
    } else {
      return super.readString();
    }
    const end = start + length;
    if (end <= this.end) {
      let ascii = true;
      for (let i = start; i < end; i++) {
        if (bytes[i]! >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        buf.position(end);
        // hessian.js's chunk loop ('R' … 'S') stops on this flag.
        this._isLastChunk = true;
        return bytes.toString('latin1', start, end);
      }
    }
    return super.readString();
  }

  readNull(): null {
    this.byteBuffer.skip(1);
    return null;
  }

  readBool(): boolean {
    return this.byteBuffer.get() === 0x54;
  }

  private readInt64(): number | bigint {
    this.need(8);
    const bytes = this.byteBuffer._bytes;
    const at = this.byteBuffer.position();
    const high = bytes.readInt32BE(at);
    this.byteBuffer.skip(8);
    // Safe integers stay numbers; anything wider is exact as a bigint, never rounded.
    if (high <= 0x1fffff && high >= -0x200000) {
      const value = high * TWO_32 + bytes.readUInt32BE(at + 4);
      if (Number.isSafeInteger(value)) {
        return value;
      }
    }
    return bytes.readBigInt64BE(at);
  }

  readLong(): number | bigint {
    const code = this.byteBuffer.get();
    if (code >= 0xd8 && code <= 0xef) {
      return code - 0xe0;
    }
    if (code >= 0xf0) {
      this.need(1);
      return ((code - 0xf8) << 8) + this.byteBuffer.get();
    }
    if (code >= 0x38 && code <= 0x3f) {
      this.need(2);
      return ((code - 0x3c) << 16) + this.byteBuffer.getUInt16();
    }
    if (code === 0x59) {
      this.need(4);
      return this.byteBuffer.getInt32();
    }
    return this.readInt64();
  }

  readDouble(): number {
    const code = this.byteBuffer.get();
    const bytes = this.byteBuffer._bytes;
    const at = this.byteBuffer.position();
    switch (code) {
      case 0x5b:
        return 0;
      case 0x5c:
        return 1;
      case 0x5d:
        this.need(1);
        this.byteBuffer.skip(1);
        return bytes.readInt8(at);
      case 0x5e:
        this.need(2);
        this.byteBuffer.skip(2);
        return bytes.readInt16BE(at);
      case 0x5f:
        this.need(4);
        this.byteBuffer.skip(4);
        // Same arithmetic as hessian-lite (0.001 * mills), so the same double comes out.
        return 0.001 * bytes.readInt32BE(at);
      default:
        this.need(8);
        this.byteBuffer.skip(8);
        return bytes.readDoubleBE(at);
    }
  }

  readDate(): Date {
    const code = this.byteBuffer.get();
    if (code === 0x4b) {
      this.need(4);
      return new Date(this.byteBuffer.getInt32() * 60000);
    }
    const ms = this.readInt64();
    return new Date(typeof ms === 'bigint' ? Number.NaN : ms);
  }

  readBytes(): Buffer {
    let code = this.byteBuffer.get();
    const parts: Buffer[] = [];
    for (;;) {
      let length: number;
      if (code >= 0x20 && code <= 0x2f) {
        length = code - 0x20;
      } else if (code >= 0x34 && code <= 0x37) {
        this.need(1);
        length = (code - 0x34) * 256 + this.byteBuffer.get();
      } else if (code === 0x41 || code === 0x42) {
        this.need(2);
        length = this.byteBuffer.getUInt16();
      } else {
        throw new TypeError(`hessian: unexpected binary chunk code 0x${code.toString(16)}`);
      }
      this.need(length);
      parts.push(this.byteBuffer.read(length));
      if (code !== 0x41) {
        break;
      }
      this.need(1);
      code = this.byteBuffer.get();
    }
    return parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts);
  }

  readRef(): unknown {
    this.byteBuffer.skip(1);
    const index = this.readInt();
    if (!(index >= 0 && index < this.refId)) {
      throw new RangeError(`hessian: reference ${index} to an unknown value (${this.refId} known)`);
    }
    return this.refMap[index];
  }

  readList(): unknown[] {
    const code = this.byteBuffer.get();
    let length = -1;
    if (code === 0x55) {
      this.readType();
    } else if (code === 0x56) {
      this.readType();
      length = this.readInt();
    } else if (code === 0x58) {
      length = this.readInt();
    } else if (code >= 0x70 && code <= 0x77) {
      this.readType();
      length = code - 0x70;
    } else if (code >= 0x78) {
      length = code - 0x78;
    }
    const list: unknown[] = [];
    this._addRef(list);
    if (length >= 0) {
      // Every element takes at least one byte: a larger count is a lie, not a reason to loop.
      if (length > this.end - this.byteBuffer.position()) {
        throw new RangeError(`hessian: list of ${length} elements cannot fit in the body`);
      }
      for (let i = 0; i < length; i++) {
        list.push(this.read());
      }
      return list;
    }
    while (this.peek() !== 0x5a) {
      list.push(this.read());
    }
    this.byteBuffer.skip(1);
    return list;
  }

  private peek(): number {
    const pos = this.byteBuffer.position();
    if (pos >= this.end) {
      throw new RangeError(`hessian: body truncated at byte ${pos}`);
    }
    return this.byteBuffer.get(pos);
  }

  private readEntries(map: Record<string, unknown>): void {
    while (this.peek() !== 0x5a) {
      const key = this.read();
      setOwn(map, keyOf(key), this.read());
    }
    this.byteBuffer.skip(1);
  }

  readHashMap(): Record<string, unknown> {
    this.byteBuffer.skip(1);
    const map: Record<string, unknown> = {};
    this._addRef(map);
    this.readEntries(map);
    return map;
  }

  readTypedMap(): Record<string, unknown> {
    this.byteBuffer.skip(1);
    this.need(1);
    const type = this.readType();
    const map: Record<string, unknown> = {};
    this._addRef(map);
    this.readEntries(map);
    if (type) {
      javaClasses.set(map, type);
    }
    return map;
  }

  readObject(): unknown {
    let code = this.byteBuffer.get();
    while (code === 0x43) {
      this._readObjectDefinition();
      this.need(1);
      code = this.byteBuffer.get();
    }
    let index: number;
    if (code === 0x4f) {
      index = this.readInt();
    } else if (code >= 0x60 && code <= 0x6f) {
      index = code - 0x60;
    } else {
      throw new TypeError(`hessian: unexpected object code 0x${code.toString(16)}`);
    }
    const definition = this.classes[index];
    if (definition === undefined) {
      throw new RangeError(`hessian: object of undefined class #${index}`);
    }
    const fields: Record<string, unknown> = {};
    const refIndex = this.refId;
    // Registered before the fields: they may point back at this object.
    this._addRef(fields);
    javaClasses.set(fields, definition.name);
    for (const name of definition.fields) {
      const value = this.read();
      if (!INNER_CLASS_FIELD.test(name)) {
        setOwn(fields, name, value);
      }
    }
    const converted = convertObject(definition.name, fields);
    if (converted !== fields) {
      this.refMap[refIndex] = converted;
    }
    return converted;
  }
}

/** Java value classes that have a natural JS form; everything else stays a field map. */
function convertObject(className: string, fields: Record<string, unknown>): unknown {
  switch (className) {
    case 'java.math.BigDecimal':
      return typeof fields['value'] === 'string' ? fields['value'] : fields;
    case 'java.math.BigInteger':
      return bigIntegerOf(fields) ?? fields;
    default:
      return fields;
  }
}

/** BigInteger is written field by field: signum and a big-endian int[] magnitude. */
function bigIntegerOf(fields: Record<string, unknown>): number | bigint | undefined {
  const signum = fields['signum'];
  const mag = fields['mag'];
  if (typeof signum !== 'number' || !Array.isArray(mag)) {
    return undefined;
  }
  let value = 0n;
  for (const word of mag) {
    if (typeof word !== 'number') {
      return undefined;
    }
    value = (value << 32n) | BigInt(word >>> 0);
  }
  if (signum < 0) {
    value = -value;
  }
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
