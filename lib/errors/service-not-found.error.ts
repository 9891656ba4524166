import { type DubboErrorCode } from './dubbo-error-code.js';
import { RemoteError } from './remote.error.js';

/**
 * The provider does not export the service, version or group asked for. Retriable: a provider that
 * advertises the service answers this while it is still exporting after a restart, and another
 * provider may serve the call (Dubbo's Java consumer fails over on it too).
 * @publicApi
 */
export class ServiceNotFoundError extends RemoteError {
  override readonly code: DubboErrorCode = 'SERVICE_NOT_FOUND';
  override get retriable(): boolean {
    return true;
  }
}
