/**
 * What the peer-client adapters share: loading the peers from bench/peers/node_modules (installed by
 * the driver on first use; they are never dependencies of the library) and the generic `$invoke`
 * argument list as hessian.js writes it.
 */
import { createRequire } from 'node:module';
import { USER_CLASS, userGenericArg, type Workload } from '../lib/workloads.js';
import { BYTES, ECHO_TEXT } from '../lib/workloads.js';

/** `require` rooted at bench/peers, where the peer clients are installed. */
export const loadPeer = createRequire(new URL('./package.json', import.meta.url));

/** The User map of a generic call, typed as a HashMap so hessian.js writes it as Java's callers do. */
function userMap(): unknown {
  return { $class: 'java.util.HashMap', $: userGenericArg() };
}

/**
 * `$invoke(String method, String[] parameterTypes, Object[] args)` arguments in hessian.js form.
 * Object[] is built by hand: js-to-java's java.array('java.lang.Object', …) wraps every element in
 * its own { $class: 'java.lang.Object' }, which hides a map's type.
 */
export function genericInvokeArgs(method: string, parameterTypes: string[], workload: Workload): unknown[] {
  const args = workload === 'echo' ? [ECHO_TEXT] : workload === 'user' ? [userMap()] : [BYTES];
  return [
    { $class: 'java.lang.String', $: method },
    { $class: '[java.lang.String', $: parameterTypes },
    { $class: '[java.lang.Object', $: args },
  ];
}

export { USER_CLASS };
