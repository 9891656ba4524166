import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError } from './dubbo.error.js';

/**
 * A value could not be encoded or decoded with Hessian2, locally or on the provider (status 25).
 * @publicApi
 */
export class SerializationError extends DubboError {
  override readonly code: DubboErrorCode = 'SERIALIZATION_ERROR';
  override get retriable(): boolean {
    return false;
  }
}
