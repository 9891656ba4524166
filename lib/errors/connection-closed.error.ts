import { type DubboErrorCode } from './dubbo-error-code.js';
import { TransportError } from './transport.error.js';

/**
 * The connection closed while the call was in flight; the provider may or may not have run it.
 * @publicApi
 */
export class ConnectionClosedError extends TransportError {
  override readonly code: DubboErrorCode = 'CONNECTION_CLOSED';
  override get retriable(): boolean {
    return true;
  }
}
