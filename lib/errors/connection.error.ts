import { type DubboErrorCode } from './dubbo-error-code.js';
import { TransportError } from './transport.error.js';

/**
 * Connecting to a provider failed (refused, reset or timed out).
 * @publicApi
 */
export class ConnectionError extends TransportError {
  override readonly code: DubboErrorCode = 'CONNECTION_FAILED';
  override get retriable(): boolean {
    return true;
  }
}
