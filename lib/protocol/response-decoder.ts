import { type DubboError, type DubboErrorContext } from '../errors/dubbo.error.js';
import { MethodNotFoundError } from '../errors/method-not-found.error.js';
import { ProviderBusyError } from '../errors/provider-busy.error.js';
import { RemoteError } from '../errors/remote.error.js';
import { RemoteServiceError } from '../errors/remote-service.error.js';
import { RpcTimeoutError } from '../errors/rpc-timeout.error.js';
import { SerializationError } from '../errors/serialization.error.js';
import { ServiceNotFoundError } from '../errors/service-not-found.error.js';
import { HESSIAN2_SERIALIZATION_ID, ResponseStatus } from './dubbo-header.js';
import { decodeFastjson2String, FASTJSON2_SERIALIZATION_ID } from './fastjson2-string.js';
import { type DubboFrame } from './frame-decoder.js';
import { Hessian2Decoder } from './hessian/hessian2-decoder.js';
import { javaClassOf } from './hessian/java-class.js';

/** Response type codes written after status 20 (DubboCodec). */
const ResponseType = {
  EXCEPTION: 0,
  VALUE: 1,
  NULL_VALUE: 2,
  EXCEPTION_WITH_ATTACHMENTS: 3,
  VALUE_WITH_ATTACHMENTS: 4,
  NULL_VALUE_WITH_ATTACHMENTS: 5,
} as const;

export type DecodedResponse =
  { ok: true; value: unknown; attachments: Record<string, unknown> | undefined } | { ok: false; error: DubboError };

export interface ResponseContext extends DubboErrorContext {
  /** The call's deadline, reported by a timeout status. */
  timeoutMs?: number;
}

const GENERIC_EXCEPTIONS = new Set(['com.alibaba.dubbo.rpc.service.GenericException', 'org.apache.dubbo.rpc.service.GenericException']);

/**
 * Turns a response frame into a value or a typed error. Never throws: bytes that cannot be decoded
 * become a SerializationError for that one call (the frame itself was well delimited, so the
 * connection is fine).
 */
export function decodeResponse(frame: DubboFrame, contextOrFactory: ResponseContext | (() => ResponseContext) = {}): DecodedResponse {
  if (frame.status === ResponseStatus.OK && frame.serializationId === HESSIAN2_SERIALIZATION_ID) {
    let decoded: DecodedResponse;
    try {
      decoded = decodeOkBody(frame.body);
    } catch (err) {
      return {
        ok: false,
        error: new SerializationError(`Cannot decode the response body: ${(err as Error).message}`, {
          cause: err,
          context: errorContext(resolveContext(contextOrFactory), frame),
        }),
      };
    }
    if (decoded.ok) {
      // The context is only built for errors: a successful reply costs no context object.
      return decoded;
    }
    decoded.error.context.requestId = frame.requestId;
    Object.assign(decoded.error.context, errorContext(resolveContext(contextOrFactory), frame));
    return decoded;
  }
  const context = resolveContext(contextOrFactory);
  const ctx = errorContext(context, frame);
  if (frame.status !== ResponseStatus.OK) {
    return { ok: false, error: statusError(frame, errorMessage(frame), ctx, context.timeoutMs) };
  }
  if (frame.serializationId !== HESSIAN2_SERIALIZATION_ID) {
    return {
      ok: false,
      error: new SerializationError(
        `Response serialized with id ${frame.serializationId}; only Hessian2 (id 2) is supported. Configure the provider's serialization as hessian2.`,
        { context: ctx },
      ),
    };
  }
  return { ok: false, error: new SerializationError(`Unexpected response frame (status ${frame.status})`, { context: ctx }) };
}

function resolveContext(context: ResponseContext | (() => ResponseContext)): ResponseContext {
  return typeof context === 'function' ? context() : context;
}

function errorContext(context: ResponseContext, frame: DubboFrame): DubboErrorContext {
  const { timeoutMs: _timeout, maxPayloadBytes: _max, ...rest } = context;
  return { ...rest, requestId: frame.requestId };
}

function decodeOkBody(body: Buffer): DecodedResponse {
  const decoder = new Hessian2Decoder(body);
  const type = decoder.read();
  let value: unknown = null;
  let exception: unknown;
  let attachments: Record<string, unknown> | undefined;
  switch (type) {
    case ResponseType.VALUE:
    case ResponseType.VALUE_WITH_ATTACHMENTS:
      value = decoder.read();
      break;
    case ResponseType.EXCEPTION:
    case ResponseType.EXCEPTION_WITH_ATTACHMENTS:
      exception = decoder.read();
      break;
    case ResponseType.NULL_VALUE:
    case ResponseType.NULL_VALUE_WITH_ATTACHMENTS:
      break;
    default:
      throw new TypeError(`unknown response type ${String(type)}, expected 0-5`);
  }
  if (
    type === ResponseType.VALUE_WITH_ATTACHMENTS ||
    type === ResponseType.EXCEPTION_WITH_ATTACHMENTS ||
    type === ResponseType.NULL_VALUE_WITH_ATTACHMENTS
  ) {
    const map = decoder.read();
    attachments = typeof map === 'object' && map !== null ? (map as Record<string, unknown>) : undefined;
  }
  if (type === ResponseType.EXCEPTION || type === ResponseType.EXCEPTION_WITH_ATTACHMENTS) {
    return { ok: false, error: exceptionError(exception, {}) };
  }
  return { ok: true, value, attachments };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A business exception: GenericException (its fields name the original) or the raw Throwable. */
function exceptionError(exception: unknown, ctx: DubboErrorContext): RemoteServiceError {
  const fields = typeof exception === 'object' && exception !== null ? (exception as Record<string, unknown>) : {};
  const className = javaClassOf(exception) ?? str(fields['$class']) ?? 'java.lang.Throwable';
  if (GENERIC_EXCEPTIONS.has(className) && typeof fields['exceptionClass'] === 'string') {
    const detail = str(fields['detailMessage']);
    return new RemoteServiceError(
      ResponseStatus.OK,
      {
        javaClass: fields['exceptionClass'],
        remoteMessage: str(fields['exceptionMessage']) ?? firstLineMessage(detail),
        javaStack: detail ?? stackText(fields),
        remoteObject: exception,
      },
      { context: ctx },
    );
  }
  return new RemoteServiceError(
    ResponseStatus.OK,
    { javaClass: className, remoteMessage: str(fields['detailMessage']), javaStack: stackText(fields), remoteObject: exception },
    { context: ctx },
  );
}

function firstLineMessage(detail: string | undefined): string | undefined {
  if (!detail) {
    return undefined;
  }
  const line = detail.split('\n', 1)[0] ?? '';
  const colon = line.indexOf(': ');
  return colon >= 0 ? line.slice(colon + 2) : line;
}

function stackText(fields: Record<string, unknown>): string | undefined {
  const trace = fields['stackTrace'];
  if (!Array.isArray(trace) || trace.length === 0) {
    return undefined;
  }
  return trace
    .map((e) => {
      const f = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
      return `\tat ${String(f['declaringClass'])}.${String(f['methodName'])}(${String(f['fileName'] ?? 'Unknown Source')}:${String(f['lineNumber'])})`;
    })
    .join('\n');
}

/**
 * The message of a non-OK frame: one Hessian string; one fastjson2 string (a Dubbo 3.2 provider
 * answers errors in its channel's preferred serialization, whatever the request used); else the
 * printable text of the body.
 */
function errorMessage(frame: DubboFrame): string {
  if (frame.serializationId === HESSIAN2_SERIALIZATION_ID) {
    try {
      const value = new Hessian2Decoder(frame.body).read();
      if (typeof value === 'string') {
        return value;
      }
    } catch {
      // fall through to the text salvage below
    }
  } else if (frame.serializationId === FASTJSON2_SERIALIZATION_ID) {
    const text = decodeFastjson2String(frame.body);
    if (text !== undefined) {
      return text;
    }
  }
  const text = frame.body
    .toString('latin1')
    .replace(/[^\x20-\x7e\t\n]+/g, ' ')
    .trim();
  return `provider error status ${frame.status} (body serialized with id ${frame.serializationId})${text ? `: ${text.slice(0, 2000)}` : ''}`;
}

/** `java.lang.Foo: message` / `org.apache.dubbo.rpc.RpcException: …` at the start of a stack text. */
const LEADING_CLASS = /^\s*((?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*(?:Exception|Error|Throwable))(?::\s*([\s\S]*))?$/;
/** 3.x status 40 "Service X:v not found, invocation rejected"; 2.7/3.x status 70 "Not found exported service". */
const NOT_FOUND_40 = /not found/i;
const NOT_FOUND_70 = /not found exported service/i;
/** 3.x GenericFilter's NoSuchMethodException text: "No such method get in class interface com.acme.UserService". */
const NO_SUCH_METHOD = /\bNo such method \S+ in class /;
/** 2.7 wraps Class.getMethod's exception: "Caused by: java.lang.NoSuchMethodException: com.acme.UserService.get(java.lang.String)". */
const NO_SUCH_METHOD_CAUSE = /^Caused by: java\.lang\.NoSuchMethodException: (.+)$/m;

function statusError(frame: DubboFrame, message: string, ctx: DubboErrorContext, timeoutMs: number | undefined): DubboError {
  const status = frame.status;
  const options = { context: ctx };
  switch (status) {
    case ResponseStatus.CLIENT_TIMEOUT:
    case ResponseStatus.SERVER_TIMEOUT:
      return new RpcTimeoutError(timeoutMs ?? 0, message, options);
    case ResponseStatus.SERIALIZATION_ERROR:
    case ResponseStatus.BAD_RESPONSE:
    case ResponseStatus.CLIENT_ERROR:
      return new SerializationError(`Provider status ${status}: ${message}`, options);
    case ResponseStatus.SERVER_THREADPOOL_EXHAUSTED_ERROR:
      return new ProviderBusyError(status, message, options);
    case ResponseStatus.SERVICE_NOT_FOUND:
      return new ServiceNotFoundError(status, message, options);
    case ResponseStatus.BAD_REQUEST:
    case ResponseStatus.SERVICE_ERROR:
      if ((status === ResponseStatus.BAD_REQUEST ? NOT_FOUND_40 : NOT_FOUND_70).test(message)) {
        return new ServiceNotFoundError(status, message, options);
      }
      if (status === ResponseStatus.SERVICE_ERROR) {
        const firstLine = message.split('\n', 1)[0] ?? '';
        if (NO_SUCH_METHOD.test(firstLine)) {
          const m = LEADING_CLASS.exec(firstLine);
          return new MethodNotFoundError(status, m?.[2] ?? firstLine, options);
        }
        const cause = NO_SUCH_METHOD_CAUSE.exec(message);
        if (cause) {
          return new MethodNotFoundError(status, `No such method ${cause[1]!.trim()}`, options);
        }
        const m = LEADING_CLASS.exec(firstLine);
        return new RemoteServiceError(
          status,
          { javaClass: m?.[1] ?? 'org.apache.dubbo.rpc.RpcException', remoteMessage: m ? m[2] : firstLine, javaStack: message },
          options,
        );
      }
      return new RemoteError(status, message, options);
    default:
      return new RemoteError(status, `Provider status ${status}: ${message}`, options);
  }
}
