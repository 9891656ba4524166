import { type DubboErrorCode } from './dubbo-error-code.js';
import { RemoteError } from './remote.error.js';

/**
 * The provider exports the service but has no method of that name taking the `parameterTypes` sent
 * (Java's NoSuchMethodException, status 70); `context.parameterTypes` holds the types that were sent.
 * Not retried: every provider of the same interface would answer the same.
 * @publicApi
 */
export class MethodNotFoundError extends RemoteError {
  override readonly code: DubboErrorCode = 'METHOD_NOT_FOUND';
}
