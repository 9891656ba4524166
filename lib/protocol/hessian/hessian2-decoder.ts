import { setJavaClass } from './java-class.js';
import { javaValueOf, VALUE_MAP_CLASSES } from './java-values.js';
import { ScalarReader } from './scalar-reader.js';

/**
 * Hessian2 reader for dubbo bodies, written for untrusted bytes and large replies, reading what
 * Dubbo's hessian-lite writes (golden vectors under test/fixtures/vectors). Its parts:
 *
 * - `ByteReader` (byte-reader.ts): the cursor; every value read is bounds-checked, so truncated or
 *   lying input throws instead of yielding undefined;
 * - `ScalarReader` (scalar-reader.ts): int, long (beyond ±2^53 as bigint, never rounded), double,
 *   date, binary (copied out of the frame: a view would pin the socket chunk), strings (CESU-8 as
 *   Java writes them, surrogates as two 3-byte sequences, ASCII fast path);
 * - here: lists (every form, the variable-length `0x55`/`0x57` included), maps and objects, and the
 *   leading-byte table. Maps and objects are plain objects whose keys are set as own properties, so
 *   `__proto__` never reaches a prototype; non-string keys become their string form (an enum key its
 *   constant). Objects (class definitions) are registered for back-references before their fields
 *   are read (a Throwable's `cause` points at itself); the Java class is kept out of band
 *   (`javaClassOf`, java-class.ts). BigDecimal becomes its decimal string, BigInteger a number or
 *   bigint. No count read from the bytes makes it loop or allocate beyond the body's size.
 *
 * Values are dispatched on their leading byte through a table of functions and read straight from
 * the Buffer (100 000 POJOs: a few times faster than going through hessian.js's ByteBuffer).
 * One instance per frame body: class, type and reference tables span the whole body, as in Java.
 */

const INNER_CLASS_FIELD = /^this\$\d+$/;

interface ClassDefinition {
  name: string;
  fields: string[];
  /** Which fields are kept (inner-class `this$0` back-pointers are not). */
  keep: boolean[];
}

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

/** Map keys of up to this many characters (one-byte string header) are looked up in the key cache. */
const KEY_CACHE_MAX_LENGTH = 24;
const KEY_CACHE_SLOTS = 64;

type Reader = (this: Hessian2Decoder, code: number) => unknown;

export class Hessian2Decoder extends ScalarReader {
  private readonly refs: unknown[] = [];
  private readonly types: string[] = [];
  private readonly classes: ClassDefinition[] = [];
  private readonly keyCache: Array<string | undefined> = new Array<string | undefined>(KEY_CACHE_SLOTS);

  read(): unknown {
    const pos = this.pos;
    if (pos >= this.end) {
      throw new RangeError(`hessian: body truncated at byte ${pos}`);
    }
    const code = this.bytes[pos]!;
    const reader = READERS[code];
    if (reader === undefined) {
      throw new TypeError(`hessian: unexpected code 0x${code.toString(16)} at byte ${pos}`);
    }
    this.pos = pos + 1;
    return reader.call(this, code);
  }

  /** A type name: a string (remembered) or the index of one read before. */
  private readType(): string {
    const code = this.peek();
    if (code <= 0x1f || (code >= 0x30 && code <= 0x33) || code === 0x52 || code === 0x53) {
      const type = this.readString();
      this.types.push(type);
      return type;
    }
    const index = this.readInt();
    const type = this.types[index];
    if (type === undefined) {
      throw new RangeError(`hessian: reference to undefined type #${index}`);
    }
    return type;
  }

  private refOf(): unknown {
    const index = this.readInt();
    if (!(index >= 0 && index < this.refs.length)) {
      throw new RangeError(`hessian: reference ${index} to an unknown value (${this.refs.length} known)`);
    }
    return this.refs[index];
  }

  private listOf(code: number): unknown[] {
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
    this.refs.push(list);
    if (length >= 0) {
      // Every element takes at least one byte: a larger count is a lie, not a reason to loop.
      if (length > this.end - this.pos) {
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
    this.pos++;
    return list;
  }

  private entries(map: Record<string, unknown>): void {
    for (;;) {
      const code = this.peek();
      if (code === 0x5a) {
        break;
      }
      const key = code >= 1 && code <= KEY_CACHE_MAX_LENGTH ? this.shortKey(code) : keyOf(this.read());
      setOwn(map, key, this.read());
    }
    this.pos++;
  }

  /**
   * A short map key. Keys repeat in every map of a list ('class', 'sku', 'qty' × 100 000): the last
   * string seen in each slot is compared byte by byte and reused, instead of a new string per map.
   */
  private shortKey(length: number): string {
    const bytes = this.bytes;
    const start = this.pos + 1;
    if (start + length > this.end) {
      return keyOf(this.read());
    }
    const slot = (length * 31 + bytes[start]! * 7 + bytes[start + length - 1]!) & (KEY_CACHE_SLOTS - 1);
    const cached = this.keyCache[slot];
    if (cached !== undefined && cached.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (cached.charCodeAt(i) !== bytes[start + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.pos = start + length;
        return cached;
      }
    }
    const key = keyOf(this.read());
    // Only ASCII keys are kept: their characters compare equal to their bytes and to nothing else.
    if (Buffer.byteLength(key, 'utf8') === key.length) {
      this.keyCache[slot] = key;
    }
    return key;
  }

  private hashMapOf(): unknown {
    const map: Record<string, unknown> = {};
    const index = this.refs.length;
    this.refs.push(map);
    this.entries(map);
    return this.valueMap(map, index);
  }

  /** A generic map of a value class (`{ class: 'java.time.Instant', epochSecond, nano }`) becomes its JS form. */
  private valueMap(map: Record<string, unknown>, index: number): unknown {
    const className = map['class'];
    if (typeof className !== 'string' || !VALUE_MAP_CLASSES.has(className)) {
      return map;
    }
    const value = javaValueOf(className, map);
    if (value === undefined) {
      return map;
    }
    this.refs[index] = value;
    return value;
  }

  private typedMapOf(): unknown {
    const type = this.readType();
    const map: Record<string, unknown> = {};
    const index = this.refs.length;
    this.refs.push(map);
    this.entries(map);
    if (type) {
      setJavaClass(map, type);
    }
    return this.valueMap(map, index);
  }

  private definition(): void {
    const name = this.readString();
    const count = this.readInt();
    // Every field name takes at least one byte.
    if (count < 0 || count > this.end - this.pos) {
      throw new RangeError(`hessian: class ${name} with ${count} fields cannot fit in the body`);
    }
    const fields: string[] = [];
    const keep: boolean[] = [];
    for (let i = 0; i < count; i++) {
      const field = this.readString();
      fields.push(field);
      keep.push(!INNER_CLASS_FIELD.test(field));
    }
    this.classes.push({ name, fields, keep });
  }

  private objectOf(first: number): unknown {
    let code = first;
    while (code === 0x43) {
      this.definition();
      code = this.byte();
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
    const refIndex = this.refs.length;
    // Registered before the fields: they may point back at this object.
    this.refs.push(fields);
    const { fields: names, keep } = definition;
    for (let i = 0; i < names.length; i++) {
      const value = this.read();
      if (keep[i]) {
        setOwn(fields, names[i]!, value);
      }
    }
    const converted = convertObject(definition.name, fields);
    if (converted !== fields) {
      this.refs[refIndex] = converted;
    } else {
      setJavaClass(fields, definition.name);
    }
    return converted;
  }

  /** The readers, by leading byte (see READERS). */
  static readonly readers = {
    null: (): null => null,
    true: (): boolean => true,
    false: (): boolean => false,
    int(this: Hessian2Decoder, code: number): number {
      return this.intOf(code);
    },
    long(this: Hessian2Decoder, code: number): number | bigint {
      return this.longOf(code);
    },
    double(this: Hessian2Decoder, code: number): number {
      return this.doubleOf(code);
    },
    date(this: Hessian2Decoder, code: number): Date {
      return this.dateOf(code);
    },
    bytes(this: Hessian2Decoder, code: number): Buffer {
      return this.bytesOf(code);
    },
    string(this: Hessian2Decoder, code: number): string {
      return this.stringOf(code);
    },
    object(this: Hessian2Decoder, code: number): unknown {
      return this.objectOf(code);
    },
    ref(this: Hessian2Decoder): unknown {
      return this.refOf();
    },
    list(this: Hessian2Decoder, code: number): unknown[] {
      return this.listOf(code);
    },
    hashMap(this: Hessian2Decoder): unknown {
      return this.hashMapOf();
    },
    typedMap(this: Hessian2Decoder): unknown {
      return this.typedMapOf();
    },
  };
}

/** The reader of each leading byte. */
const READERS: Array<Reader | undefined> = new Array<Reader | undefined>(256).fill(undefined);
function codes(reader: Reader, ...ranges: Array<number | [number, number]>): void {
  for (const r of ranges) {
    const [from, to] = typeof r === 'number' ? [r, r] : r;
    for (let c = from; c <= to; c++) {
      READERS[c] = reader;
    }
  }
}
const R = Hessian2Decoder.readers;
codes(R.null, 0x4e);
codes(R.false, 0x46);
codes(R.true, 0x54);
codes(R.int, [0x80, 0xbf], [0xc0, 0xcf], [0xd0, 0xd7], 0x49);
codes(R.long, [0xd8, 0xef], [0xf0, 0xff], [0x38, 0x3f], 0x59, 0x4c);
codes(R.double, 0x44, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f);
codes(R.date, 0x4a, 0x4b);
codes(R.bytes, 0x41, 0x42, [0x20, 0x2f], [0x34, 0x37]);
codes(R.string, 0x52, 0x53, [0x00, 0x1f], [0x30, 0x33]);
codes(R.object, 0x43, 0x4f, [0x60, 0x6f]);
codes(R.ref, 0x51);
codes(R.list, 0x55, 0x56, 0x57, 0x58, [0x70, 0x77], [0x78, 0x7f]);
codes(R.hashMap, 0x48);
codes(R.typedMap, 0x4d);

/** Java value classes that have a natural JS form; everything else stays a field map. */
function convertObject(className: string, fields: Record<string, unknown>): unknown {
  switch (className) {
    case 'java.math.BigDecimal':
      return typeof fields['value'] === 'string' ? fields['value'] : fields;
    case 'java.math.BigInteger':
      return bigIntegerOf(fields) ?? fields;
    default:
      return javaValueOf(className, fields) ?? fields;
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
