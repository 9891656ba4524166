import { type DubboErrorCode } from './dubbo-error-code.js';
import { RegistryError } from './registry.error.js';

/**
 * The registry session expired. The registry opens a new session and re-subscribes by itself; calls keep using the last known providers.
 * @publicApi
 */
export class RegistrySessionExpiredError extends RegistryError {
  override readonly code: DubboErrorCode = 'REGISTRY_SESSION_EXPIRED';
  override get retriable(): boolean {
    return true;
  }
}
