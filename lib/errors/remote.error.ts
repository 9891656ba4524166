import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError, type DubboErrorOptions } from './dubbo.error.js';

/** Dubbo's BAD_REQUEST status: the provider could not decode the request. */
const BAD_REQUEST = 40;

/**
 * The provider answered with a non-OK response status; `status` is the dubbo status byte.
 * Retriable only for status 40 (the provider could not decode the request): a provider still
 * exporting its services after a restart answers so, and another provider may take the call.
 * @publicApi
 */
export class RemoteError extends DubboError {
  override readonly code: DubboErrorCode = 'REMOTE_ERROR';
  override get retriable(): boolean {
    return this.status === BAD_REQUEST;
  }

  constructor(
    readonly status: number,
    message: string,
    options: DubboErrorOptions = {},
  ) {
    super(message, options);
  }
}
