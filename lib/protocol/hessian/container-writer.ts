import { describeValue } from '../../utils/describe-value.js';
import { type DeclaredType } from './declared-type.js';
import { keySegment, ValueEncodeError } from './encode-errors.js';
import { ScalarWriter } from './scalar-writer.js';

/** Containers nested deeper than this are refused: no real payload comes close, a hostile one would. */
export const MAX_DEPTH = 512;

interface ClassDef {
  index: number;
  fields: readonly string[];
}

/**
 * Hessian2's containers and the tables one body shares: lists (typed or not), maps (typed or not),
 * objects (a class definition the first time a class appears, then instances), back-references to a
 * value written before (looked up in a Map: O(1) per value), type names by index, and the nesting
 * limit. What goes inside a container is the subclass's `write` / `writeDeclared`.
 */
export abstract class ContainerWriter extends ScalarWriter {
  private refs = new Map<object, number>();
  private nextRef = 0;
  private typeRefs = new Map<string, number>();
  private classDefs = new Map<string, ClassDef>();
  private depth = 0;

  abstract write(value: unknown): this;
  abstract writeDeclared(value: unknown, type: DeclaredType | undefined): this;

  /** Empties the body; reference, type and class tables start afresh. */
  override reset(): this {
    super.reset();
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

  /** Gives a grown buffer back and drops what the body referenced (it may be large). */
  override release(): void {
    super.release();
    // Without a new Map per call when empty.
    if (this.refs.size > 0) {
      this.refs = new Map();
    }
    if (this.classDefs.size > 0) {
      this.classDefs = new Map();
    }
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

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      throw new ValueEncodeError(`values nested deeper than ${MAX_DEPTH} levels cannot be sent`);
    }
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

  /** A list (`type` '' for an untyped one), each item checked against `element` when given. */
  protected writeList(items: readonly unknown[], type: string, identity: object, element: DeclaredType | undefined): this {
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

  /** A map (`type` '' for a HashMap) of a Map's entries or an object's own enumerable properties. */
  protected writeMap(map: Map<unknown, unknown> | Record<string, unknown>, type: string, identity: object): this {
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
  protected writeObject(className: string, fields: Record<string, unknown>, identity: object): this {
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

/** Adds `segment` to the path of a ValueEncodeError on its way out; other errors pass as they are. */
function within(err: unknown, segment: string): unknown {
  return err instanceof ValueEncodeError ? err.within(segment) : err;
}
