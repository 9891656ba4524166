import { SerializationError } from '../errors/serialization.error.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './constants.js';
import { HEADER_LENGTH, type RequestId, writeHeader } from './dubbo-header.js';
import { PayloadLimitError, ValueEncodeError } from './hessian/encode-errors.js';
import { Hessian2Encoder } from './hessian/hessian2-encoder.js';
import { ATTACHMENT, type RpcInvocation, type ServiceTarget } from './invocation.js';
import { PreparedService, preparedKey } from './prepared-service.js';

/** Prepared services kept per encoder; the least recently added is dropped past this. */
const MAX_PREPARED_SERVICES = 1024;

export interface RequestEncoderOptions {
  /** Largest request body allowed, in bytes; 0 disables the check. @default 8388608 */
  maxPayloadBytes?: number;
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

  constructor(options: RequestEncoderOptions = {}) {
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
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
    const key = preparedKey(target);
    let prepared = this.services.get(key);
    if (!prepared) {
      prepared = new PreparedService(target, this.encoder);
      if (this.services.size >= MAX_PREPARED_SERVICES) {
        const oldest = this.services.keys().next();
        if (!oldest.done) {
          const dropped = this.services.get(oldest.value)!;
          this.services.delete(oldest.value);
          const list = this.byPath.get(dropped.target.path) ?? [];
          this.byPath.set(
            dropped.target.path,
            list.filter((x) => x !== dropped),
          );
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
    return new SerializationError(`Cannot encode the call ${invocation.path}.${invocation.method}: ${(err as Error).message}`, {
      cause: err,
      context,
    });
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
