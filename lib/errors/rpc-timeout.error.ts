import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError, type DubboErrorOptions } from './dubbo.error.js';

/**
 * No answer within the call deadline. The provider may still run the call; a late reply is dropped.
 * @publicApi
 */
export class RpcTimeoutError extends DubboError {
  override readonly code: DubboErrorCode = 'RPC_TIMEOUT';
  override get retriable(): boolean {
    return true;
  }

  constructor(
    readonly timeoutMs: number,
    message: string,
    options: DubboErrorOptions = {},
  ) {
    super(message, options);
  }
}
