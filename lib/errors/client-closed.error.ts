import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError, type DubboErrorOptions } from './dubbo.error.js';

/**
 * A call was made after shutdown began (status draining or closed).
 * @publicApi
 */
export class ClientClosedError extends DubboError {
  override readonly code: DubboErrorCode = 'CLIENT_CLOSED';

  constructor(message = 'The Dubbo client is shutting down or closed; no new calls are accepted', options: DubboErrorOptions = {}) {
    super(message, options);
  }
}
