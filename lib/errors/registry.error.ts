import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError } from './dubbo.error.js';

/**
 * The service registry (ZooKeeper) failed a request or is unusable.
 * @publicApi
 */
export class RegistryError extends DubboError {
  override readonly code: DubboErrorCode = 'REGISTRY_ERROR';
  override get retriable(): boolean {
    return true;
  }
}
