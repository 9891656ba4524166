import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError, type DubboErrorOptions } from './dubbo.error.js';

/**
 * The provider answered with a non-OK response status; `status` is the dubbo status byte.
 * @publicApi
 */
export class RemoteError extends DubboError {
  override readonly code: DubboErrorCode = 'REMOTE_ERROR';
  override get retriable(): boolean {
    return false;
  }

  constructor(
    readonly status: number,
    message: string,
    options: DubboErrorOptions = {},
  ) {
    super(message, options);
  }
}
