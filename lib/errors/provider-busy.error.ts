import { type DubboErrorCode } from './dubbo-error-code.js';
import { RemoteError } from './remote.error.js';

/**
 * The provider's thread pool rejected the call (status 100). Another provider, or a later try, may succeed.
 * @publicApi
 */
export class ProviderBusyError extends RemoteError {
  override readonly code: DubboErrorCode = 'PROVIDER_BUSY';

  override get retriable(): boolean {
    return true;
  }
}
