import { type DubboErrorCode } from './dubbo-error-code.js';
import { RegistryError } from './registry.error.js';

/**
 * The registry could not be reached within the connect timeout; `cause` holds the client error.
 * @publicApi
 */
export class RegistryConnectionError extends RegistryError {
  override readonly code: DubboErrorCode = 'REGISTRY_CONNECTION';
  override get retriable(): boolean {
    return true;
  }
}
