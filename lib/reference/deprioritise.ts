import { RemoteError } from '../errors/remote.error.js';
import { ServiceNotFoundError } from '../errors/service-not-found.error.js';

/** How long a provider that refused a service it advertises is passed over when others can serve. */
export const DEPRIORITISE_MS = 2000;

/** Dubbo's BAD_REQUEST: the provider could not decode the request (e.g. the service is not exported yet). */
const BAD_REQUEST = 40;

/**
 * Whether a failure means "this provider does not serve the service right now" although the
 * registry lists it: not exported (yet, or any more), or a request it cannot decode. A provider
 * restarted at once answers so while it is still exporting.
 */
export function refusesService(error: unknown): boolean {
  return (
    error instanceof ServiceNotFoundError ||
    (error instanceof RemoteError && error.status === BAD_REQUEST && error.constructor === RemoteError)
  );
}
