import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Inject, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DubboError, type DubboErrorCode, RemoteServiceError } from 'nestjs-dubbo-generic';

/** HTTP status for each DubboError code; anything not listed is a bad gateway (502). */
const STATUS_BY_CODE: Partial<Record<DubboErrorCode, HttpStatus>> = {
  NO_PROVIDER: HttpStatus.SERVICE_UNAVAILABLE,
  PROVIDER_BUSY: HttpStatus.SERVICE_UNAVAILABLE,
  CONNECTION_FAILED: HttpStatus.SERVICE_UNAVAILABLE,
  CONNECTION_CLOSED: HttpStatus.SERVICE_UNAVAILABLE,
  CLIENT_CLOSED: HttpStatus.SERVICE_UNAVAILABLE,
  RPC_TIMEOUT: HttpStatus.GATEWAY_TIMEOUT,
  REMOTE_SERVICE_ERROR: HttpStatus.BAD_GATEWAY,
  CONFIG_INVALID: HttpStatus.BAD_REQUEST,
  LIMIT_EXCEEDED: HttpStatus.SERVICE_UNAVAILABLE,
};

/** A SerializationError raised before sending is the caller's input, not the provider's fault. */
const STATUS_BY_SERIALIZATION_REASON: Record<string, HttpStatus> = {
  'invalid-argument': HttpStatus.BAD_REQUEST,
  'payload-limit': HttpStatus.PAYLOAD_TOO_LARGE,
};

/** The longest message text sent to a client. */
const MAX_TEXT = 500;

export function httpStatusOf(error: DubboError): HttpStatus {
  const reason = error.context['reason'];
  if (error.code === 'SERIALIZATION_ERROR' && typeof reason === 'string' && STATUS_BY_SERIALIZATION_REASON[reason] !== undefined) {
    return STATUS_BY_SERIALIZATION_REASON[reason];
  }
  return STATUS_BY_CODE[error.code] ?? HttpStatus.BAD_GATEWAY;
}

/**
 * One line of text, bounded: a Java exception message can hold a whole stack trace (Dubbo 2.7 wraps
 * undeclared exceptions that way), which must not reach an HTTP client.
 */
function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) {
    return undefined;
  }
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)}…` : line;
}

export interface DubboErrorBody {
  statusCode: number;
  error: DubboErrorCode;
  name: string;
  message: string;
  retriable: boolean;
  service?: string;
  method?: string;
  version?: string;
  group?: string;
  javaClass?: string;
  remoteMessage?: string;
  /** Which argument was refused (`args[1].items[3].qty`). */
  path?: string;
}

/** The response body for a DubboError: code, message and where; never a stack, a cause or an address. */
export function errorBody(error: DubboError, statusCode: number): DubboErrorBody {
  const body: DubboErrorBody = {
    statusCode,
    error: error.code,
    name: error.name,
    message: firstLine(error.message) ?? '',
    retriable: error.retriable,
  };
  for (const key of ['service', 'method', 'version', 'group'] as const) {
    const value = error.context[key];
    if (typeof value === 'string' && value !== '') {
      body[key] = value;
    }
  }
  if (typeof error.context['path'] === 'string') {
    body.path = error.context['path'];
  }
  if (error instanceof RemoteServiceError) {
    body.javaClass = error.javaClass;
    const remoteMessage = firstLine(error.remoteMessage);
    if (remoteMessage !== undefined) {
      body.remoteMessage = remoteMessage;
    }
  }
  return body;
}

/** Maps every DubboError that reaches a controller to an HTTP answer (the library never throws HTTP errors). */
@Catch(DubboError)
export class DubboExceptionFilter implements ExceptionFilter<DubboError> {
  private readonly logger = new Logger(DubboExceptionFilter.name);

  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(error: DubboError, host: ArgumentsHost): void {
    const statusCode = httpStatusOf(error);
    const body = errorBody(error, statusCode);
    const { httpAdapter } = this.adapterHost;
    const request: unknown = host.switchToHttp().getRequest();
    this.logger.warn(
      `${httpAdapter.getRequestMethod(request)} ${httpAdapter.getRequestUrl(request)} → ${statusCode} ${error.name}: ${body.message}`,
    );
    httpAdapter.reply(host.switchToHttp().getResponse(), body, statusCode);
  }
}
