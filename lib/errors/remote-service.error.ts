import { type DubboErrorCode } from './dubbo-error-code.js';
import { type DubboErrorOptions } from './dubbo.error.js';
import { RemoteError } from './remote.error.js';

export interface RemoteServiceErrorDetails {
  /** Fully qualified Java class of the exception the provider threw. */
  javaClass: string;
  /** The Java exception's own message (getMessage()), when it had one. */
  remoteMessage?: string;
  /** The provider's stack trace text, when it sent one. */
  javaStack?: string;
  /** The decoded exception object as received, for fields of custom exceptions. */
  remoteObject?: unknown;
}

/**
 * The provider's service threw an exception (a business exception or a failure in its filter chain).
 * Not retried: the call reached the service.
 * @publicApi
 */
export class RemoteServiceError extends RemoteError {
  override readonly code: DubboErrorCode = 'REMOTE_SERVICE_ERROR';
  readonly javaClass: string;
  readonly remoteMessage: string | undefined;
  readonly javaStack: string | undefined;
  readonly remoteObject: unknown;

  override get retriable(): boolean {
    return false;
  }

  constructor(status: number, details: RemoteServiceErrorDetails, options: DubboErrorOptions = {}) {
    super(status, `${details.javaClass}${details.remoteMessage ? `: ${details.remoteMessage}` : ''}`, options);
    this.javaClass = details.javaClass;
    this.remoteMessage = details.remoteMessage;
    this.javaStack = details.javaStack;
    this.remoteObject = details.remoteObject;
  }
}
