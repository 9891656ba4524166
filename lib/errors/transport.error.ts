import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError } from './dubbo.error.js';

/**
 * A network-level failure talking to a provider.
 * @publicApi
 */
export class TransportError extends DubboError {
  override readonly code: DubboErrorCode = 'TRANSPORT_ERROR';
  override get retriable(): boolean {
    return true;
  }
}
