import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError } from './dubbo.error.js';

/**
 * No usable provider for the service (wrong version or group, none registered, all disabled or unreachable).
 * @publicApi
 */
export class NoProviderError extends DubboError {
  override readonly code: DubboErrorCode = 'NO_PROVIDER';
  override get retriable(): boolean {
    return true;
  }
}
