import { type DubboErrorCode } from './dubbo-error-code.js';
import { DubboError, type DubboErrorOptions } from './dubbo.error.js';

/**
 * An option is missing or invalid. Raised once, when options are resolved; `key` names the option.
 * @publicApi
 */
export class DubboConfigError extends DubboError {
  override readonly code: DubboErrorCode = 'CONFIG_INVALID';
  override get retriable(): boolean {
    return false;
  }

  constructor(
    readonly key: string,
    message: string,
    options: DubboErrorOptions = {},
  ) {
    super(`Invalid option '${key}': ${message}`, options);
  }
}
