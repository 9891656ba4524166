import { type RpcInvocation } from '../protocol/invocation.js';
import { type DubboConnectionOptions } from './connection-options.js';
import { DubboConnection } from './dubbo-connection.js';
import { parseAddress } from './connection-pool.js';

export interface InvokeOptions extends Omit<DubboConnectionOptions, 'host' | 'port'> {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * One generic call on a fresh connection to `address` (host:port), closed afterwards. Internal: for
 * tests and tools; applications go through a pool.
 * @internal
 */
export async function invoke(address: string, call: RpcInvocation, options: InvokeOptions = {}): Promise<unknown> {
  const connection = new DubboConnection({ ...options, ...parseAddress(address), reconnect: false });
  try {
    await connection.connect();
    return await connection.request(call, { timeoutMs: options.timeoutMs, signal: options.signal });
  } finally {
    await connection.close();
  }
}
