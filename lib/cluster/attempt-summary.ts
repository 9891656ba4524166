import { DubboError } from '../errors/dubbo.error.js';
import { RpcTimeoutError } from '../errors/rpc-timeout.error.js';

/** One failed attempt of a cluster call. */
export interface FailedAttempt {
  address: string;
  error: unknown;
}

function codeOf(error: unknown): string {
  return error instanceof DubboError ? error.code : error instanceof Error ? error.name : typeof error;
}

/**
 * "3 attempts on 1 provider, each timed out after 500 ms", or, when the attempts failed in different
 * ways, "3 attempts on 2 providers: 127.0.0.1:20880 RPC_TIMEOUT, 127.0.0.1:20881 CONNECTION_FAILED, …".
 */
export function describeAttempts(failures: readonly FailedAttempt[]): string {
  const providers = new Set(failures.map((f) => f.address)).size;
  const head = `${failures.length} attempt${failures.length === 1 ? '' : 's'} on ${providers} provider${providers === 1 ? '' : 's'}`;
  const first = failures[0]?.error;
  if (
    first instanceof RpcTimeoutError &&
    failures.every((f) => f.error instanceof RpcTimeoutError && f.error.timeoutMs === first.timeoutMs)
  ) {
    return failures.length === 1 ? `${head}, timed out after ${first.timeoutMs} ms` : `${head}, each timed out after ${first.timeoutMs} ms`;
  }
  return `${head}: ${failures.map((f) => `${f.address} ${codeOf(f.error)}`).join(', ')}`;
}

/**
 * Adds what the cluster tried to the error it reports: `context.attempts`, `context.providersTried`
 * and, after more than one attempt, the summary at the end of the message.
 */
export function annotateAttempts(error: unknown, failures: readonly FailedAttempt[]): void {
  if (!(error instanceof DubboError) || failures.length === 0) {
    return;
  }
  error.context.attempts = failures.length;
  error.context.providersTried = [...new Set(failures.map((f) => f.address))];
  if (failures.length > 1) {
    error.message = `${error.message} (${describeAttempts(failures)})`;
  }
}
