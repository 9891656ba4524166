import { type DubboErrorCode } from './dubbo-error-code.js';
import { type DubboErrorOptions } from './dubbo.error.js';
import { RemoteError } from './remote.error.js';

/**
 * The provider does not export the service, version or group asked for.
 * @publicApi
 */
export class ServiceNotFoundError extends RemoteError {
  override readonly code: DubboErrorCode = 'SERVICE_NOT_FOUND';

  constructor(status: number, message: string, options: DubboErrorOptions = {}) {
    super(status, message, options);
  }
}
