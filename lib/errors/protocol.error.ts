import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError } from './dubbo.error.js';

/**
 * Bytes that do not follow the dubbo protocol: bad magic, corrupt length, payload over the limit, unknown serialization. The connection that produced them is closed.
 * @publicApi
 */
export class ProtocolError extends DubboError {
  override readonly code: DubboErrorCode = 'PROTOCOL_ERROR';
  override get retriable(): boolean {
    return false;
  }
}
