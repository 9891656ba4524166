import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError } from './dubbo.error.js';

/**
 * A bound that keeps memory independent of what callers send was reached (distinct services or
 * references): the call is refused before anything is created. `context.limit` names the option
 * that sets the bound, `context.value` its value.
 * @publicApi
 */
export class LimitExceededError extends DubboError {
  override readonly code: DubboErrorCode = 'LIMIT_EXCEEDED';
  override get retriable(): boolean {
    return false;
  }
}
