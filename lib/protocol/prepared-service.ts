import { DUBBO_PROTOCOL_VERSION } from './constants.js';
import { type DeclaredType, declaredType } from './hessian/declared-type.js';
import { type Hessian2Encoder } from './hessian/hessian2-encoder.js';
import { javaHashMapOrder } from './java-hash-order.js';
import { ATTACHMENT, DEFAULT_SERVICE_VERSION, GENERIC_DESCRIPTOR, GENERIC_METHOD, type ServiceTarget } from './invocation.js';

/** Type names Java's ArraySerializer gives String[] and Object[]. */
const STRING_ARRAY_TYPE = '[string';
const OBJECT_ARRAY_TYPE = '[object';

/** Encoded once per (target, method, parameter types). */
interface PreparedMethod {
  method: string;
  parameterTypes: readonly string[] | null;
  /** method-name string + parameter-type list. */
  bytes: Buffer;
  /** References and type names the bytes above define, for the arguments that follow. */
  refs: number;
  types: string[];
  /** Header of the Object[] argument list for the usual argument count. */
  argsHeader: Buffer;
  argCount: number;
  /** What each declared parameter type allows (undefined: written as the JS value says). */
  declared: ReadonlyArray<DeclaredType | undefined>;
}

/** Methods remembered per service: callers may send any method name, memory must not follow them. */
const MAX_METHODS_PER_SERVICE = 128;
/** Signatures remembered per method name (overloads, or callers varying the types). */
const MAX_SIGNATURES_PER_METHOD = 8;

/** Everything constant per service target: the body prefix and the attachment entries. */
export class PreparedService {
  readonly key: string;
  /** dubbo version, path, version, `$invoke`, descriptor. */
  readonly prefix: Buffer;
  /** Attachment entries (key → encoded key+value bytes) that never change for this target. */
  readonly fixedEntries: ReadonlyMap<string, Buffer>;
  /** Attachments in Java HashMap order when only the fixed ones and `timeout` are sent. */
  readonly fixedOrder: readonly string[];
  private readonly methods = new Map<string, PreparedMethod[]>();
  /** Attachment orders for the extra key lists seen (usually one or two per service). */
  private readonly orders: Array<{ extra: readonly string[]; order: readonly string[] }> = [];

  readonly target: Readonly<ServiceTarget>;

  constructor(target: Readonly<ServiceTarget>, encoder: Hessian2Encoder) {
    this.target = { path: target.path, interface: target.interface, version: target.version, group: target.group };
    this.key = preparedKey(target);
    const iface = target.interface ?? target.path;
    const version = target.version || DEFAULT_SERVICE_VERSION;
    encoder.reset();
    encoder.writeString(DUBBO_PROTOCOL_VERSION).writeString(iface).writeString(version);
    encoder.writeString(GENERIC_METHOD).writeString(GENERIC_DESCRIPTOR);
    this.prefix = encoder.toBuffer();

    const fixed: Array<[string, string]> = [
      [ATTACHMENT.PATH, target.path],
      [ATTACHMENT.INTERFACE, iface],
      [ATTACHMENT.VERSION, version],
      [ATTACHMENT.GENERIC, 'true'],
    ];
    if (target.group) {
      fixed.push([ATTACHMENT.GROUP, target.group]);
    }
    const entries = new Map<string, Buffer>();
    for (const [k, v] of fixed) {
      encoder.reset();
      encoder.writeString(k).writeString(v);
      entries.set(k, encoder.toBuffer());
    }
    this.fixedEntries = entries;
    this.fixedOrder = javaHashMapOrder([...entries.keys(), ATTACHMENT.TIMEOUT]);
  }

  /** Java HashMap order of the fixed keys, `timeout` and these extra keys; computed once per key list. */
  orderWith(extraKeys: readonly string[]): readonly string[] {
    for (const o of this.orders) {
      if (sameStrings(o.extra, extraKeys)) {
        return o.order;
      }
    }
    const keys = new Set<string>([...this.fixedEntries.keys(), ATTACHMENT.TIMEOUT]);
    for (const k of extraKeys) {
      keys.add(k);
    }
    const order = javaHashMapOrder([...keys]);
    if (this.orders.length >= 16) {
      this.orders.shift();
    }
    this.orders.push({ extra: [...extraKeys], order });
    return order;
  }

  /** Method name and parameter types, encoded once and looked up by value. */
  method(method: string, parameterTypes: readonly string[] | null, argCount: number, encoder: Hessian2Encoder): PreparedMethod {
    let list = this.methods.get(method);
    if (list) {
      for (const m of list) {
        if (m.argCount === argCount && sameStrings(m.parameterTypes, parameterTypes)) {
          return m;
        }
      }
    } else {
      if (this.methods.size >= MAX_METHODS_PER_SERVICE) {
        // The least recently added name goes; a real service has far fewer methods than the cap.
        this.methods.delete(this.methods.keys().next().value!);
      }
      list = [];
      this.methods.set(method, list);
    }
    encoder.begin(0, []);
    encoder.writeString(method);
    let refs = 0;
    const types: string[] = [];
    if (parameterTypes === null) {
      encoder.writeNull();
    } else {
      // String[] as Java writes it: a typed list, registered as type #0 and reference #0.
      writeListHeader(encoder, parameterTypes.length, STRING_ARRAY_TYPE);
      for (const t of parameterTypes) {
        encoder.writeString(t);
      }
      refs = 1;
      types.push(STRING_ARRAY_TYPE);
    }
    const bytes = encoder.toBuffer();
    encoder.begin(0, types);
    writeListHeader(encoder, argCount, OBJECT_ARRAY_TYPE);
    const prepared: PreparedMethod = {
      method,
      parameterTypes: parameterTypes === null ? null : [...parameterTypes],
      bytes,
      refs: refs + 1,
      types: [...types, OBJECT_ARRAY_TYPE],
      argsHeader: encoder.toBuffer(),
      argCount,
      declared: parameterTypes === null ? [] : parameterTypes.map((t) => declaredType(t)),
    };
    if (list.length >= MAX_SIGNATURES_PER_METHOD) {
      list.shift();
    }
    list.push(prepared);
    return prepared;
  }
}

function writeListHeader(encoder: Hessian2Encoder, length: number, type: string): void {
  // Same forms as Hessian2Output.writeListBegin: 0x70+n for up to 7 items, else 'V' type length.
  if (length <= 7) {
    encoder.putByte(0x70 + length);
    encoder.writeType(type);
  } else {
    encoder.putByte(0x56);
    encoder.writeType(type);
    encoder.writeInt(length);
  }
}

/** Same strings in the same order (parameter types, attachment key lists). */
function sameStrings(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === b) {
    return true;
  }
  if (a === null || b === null || a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/** The key a PreparedService is kept under: every field of the target. */
export function preparedKey(target: Readonly<ServiceTarget>): string {
  return `${target.group ?? ''}/${target.path}:${target.version ?? ''}#${target.interface ?? ''}`;
}
