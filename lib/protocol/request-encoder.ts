import { SerializationError } from '../errors/serialization.error.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, DUBBO_PROTOCOL_VERSION } from './constants.js';
import { HEADER_LENGTH, type RequestId, writeHeader } from './dubbo-header.js';
import { declaredType, type DeclaredType } from './hessian/declared-type.js';
import { PayloadLimitError, ValueEncodeError } from './hessian/encode-errors.js';
import { Hessian2Encoder } from './hessian/hessian2-encoder.js';
import { javaHashMapOrder } from './java-hash-order.js';
import {
  ATTACHMENT,
  DEFAULT_SERVICE_VERSION,
  GENERIC_DESCRIPTOR,
  GENERIC_METHOD,
  type RpcInvocation,
  type ServiceTarget,
} from './invocation.js';

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
    this.key = serviceKey(target);
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
      if (sameTypes(o.extra, extraKeys)) {
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
        if (m.argCount === argCount && sameTypes(m.parameterTypes, parameterTypes)) {
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

function sameTypes(a: readonly string[] | null, b: readonly string[] | null): boolean {
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

export function serviceKey(target: Readonly<ServiceTarget>): string {
  return `${target.group ?? ''}/${target.path}:${target.version ?? ''}#${target.interface ?? ''}`;
}

export interface RequestEncoderOptions {
  /** Largest request body allowed, in bytes; 0 disables the check. @default 8388608 */
  maxPayloadBytes?: number;
  /** Prepared services kept; the least recently added is dropped past this. @default 1024 */
  maxPreparedServices?: number;
}

/**
 * Encodes generic `$invoke` request frames (header included). Whatever is constant per service and
 * per method is encoded once and copied; per call only the arguments, the timeout and extra
 * attachments are serialized. Not re-entrant: one encoder per connection (or per thread of calls).
 */
export class RequestEncoder {
  private readonly encoder = new Hessian2Encoder();
  private readonly services = new Map<string, PreparedService>();
  private readonly byPath = new Map<string, PreparedService[]>();
  private readonly maxPayloadBytes: number;
  private readonly maxPrepared: number;

  constructor(options: RequestEncoderOptions = {}) {
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.maxPrepared = options.maxPreparedServices ?? 1024;
  }

  prepare(target: Readonly<ServiceTarget>): PreparedService {
    // Looked up by path first and compared field by field: no key string built per call.
    const candidates = this.byPath.get(target.path);
    if (candidates) {
      for (const c of candidates) {
        const t = c.target;
        if (t.version === target.version && t.group === target.group && t.interface === target.interface) {
          return c;
        }
      }
    }
    const key = serviceKey(target);
    let prepared = this.services.get(key);
    if (!prepared) {
      prepared = new PreparedService(target, this.encoder);
      if (this.services.size >= this.maxPrepared) {
        const oldest = this.services.keys().next();
        if (!oldest.done) {
          const dropped = this.services.get(oldest.value)!;
          this.services.delete(oldest.value);
          const list = this.byPath.get(dropped.target.path) ?? [];
          this.byPath.set(dropped.target.path, list.filter((x) => x !== dropped));
        }
      }
      this.services.set(key, prepared);
      const list = this.byPath.get(target.path) ?? [];
      list.push(prepared);
      this.byPath.set(target.path, list);
    }
    return prepared;
  }

  /**
   * A whole request frame: header + body. `timeoutMs` is sent as the `timeout` attachment.
   * Throws SerializationError when an argument cannot be encoded or the body is over the limit.
   */
  encode(requestId: RequestId, invocation: RpcInvocation, timeoutMs: number, prepared?: PreparedService): Buffer {
    const service = prepared ?? this.prepare(invocation);
    const enc = this.encoder;
    let frame: Buffer;
    try {
      const method = service.method(invocation.method, invocation.parameterTypes, invocation.args.length, enc);
      enc.begin(method.refs, method.types, this.maxPayloadBytes > 0 ? HEADER_LENGTH + this.maxPayloadBytes : Number.POSITIVE_INFINITY);
      enc.putBytes(HEADER_SPACE);
      enc.putBytes(service.prefix);
      enc.putBytes(method.bytes);
      enc.putBytes(method.argsHeader);
      const args = invocation.args;
      for (let i = 0; i < args.length; i++) {
        try {
          enc.writeDeclared(args[i], method.declared[i]);
        } catch (err) {
          throw err instanceof ValueEncodeError ? err.within(`args[${i}]`) : err;
        }
      }
      this.writeAttachments(service, invocation.attachments, timeoutMs);
      frame = enc.toBuffer();
    } catch (err) {
      throw this.encodeFailure(invocation, err);
    } finally {
      enc.release();
    }
    writeHeader(frame, 0, { isRequest: true, twoWay: true, requestId, bodyLength: frame.length - HEADER_LENGTH });
    return frame;
  }

  private encodeFailure(invocation: RpcInvocation, err: unknown): SerializationError {
    const context = { service: invocation.path, method: invocation.method, version: invocation.version, group: invocation.group };
    if (err instanceof PayloadLimitError) {
      return new SerializationError(
        `Request body of ${invocation.path}.${invocation.method} exceeds the payload limit of ${this.maxPayloadBytes} bytes (maxPayloadBytes); nothing was sent`,
        { context: { ...context, reason: 'payload-limit', maxPayloadBytes: this.maxPayloadBytes } },
      );
    }
    if (err instanceof ValueEncodeError) {
      const path = err.path('');
      return new SerializationError(`Cannot send ${invocation.path}.${invocation.method}: ${path}: ${err.message}; nothing was sent`, {
        cause: err,
        context: { ...context, reason: 'invalid-argument', path, javaType: err.javaType },
      });
    }
    return new SerializationError(`Cannot encode the call ${invocation.path}.${invocation.method}: ${(err as Error).message}`, { cause: err, context });
  }

  private writeAttachments(service: PreparedService, extra: Readonly<Record<string, unknown>> | undefined, timeoutMs: number): void {
    const enc = this.encoder;
    enc.putByte(0x48);
    const extraKeys = extra ? Object.keys(extra) : EMPTY_KEYS;
    if (extraKeys.length === 0) {
      for (const key of service.fixedOrder) {
        if (key === ATTACHMENT.TIMEOUT) {
          enc.writeString(ATTACHMENT.TIMEOUT).writeString(String(timeoutMs));
        } else {
          enc.putBytes(service.fixedEntries.get(key)!);
        }
      }
    } else {
      for (const key of service.orderWith(extraKeys)) {
        if (extra && Object.prototype.hasOwnProperty.call(extra, key)) {
          enc.writeString(key).write(extra[key]);
        } else if (key === ATTACHMENT.TIMEOUT) {
          enc.writeString(key).writeString(String(timeoutMs));
        } else {
          enc.putBytes(service.fixedEntries.get(key)!);
        }
      }
    }
    enc.putByte(0x5a);
  }
}

const HEADER_SPACE = Buffer.alloc(HEADER_LENGTH);
const EMPTY_KEYS: string[] = [];
