// Shared by the transport specs: a loopback fake provider per test, connections closed after it.
import { type DubboLogger } from '../../../lib/logging/logger.js';
import { type RpcInvocation } from '../../../lib/protocol/invocation.js';
import { type DubboConnectionOptions } from '../../../lib/transport/connection-options.js';
import { type ConnectionStatus } from '../../../lib/transport/connection-status.js';
import { DubboConnection } from '../../../lib/transport/dubbo-connection.js';
import { FakeDubboProvider, type FakeRequest } from '../../helpers/fake-dubbo-provider.js';

export const call = (arg: unknown = 'hi', method = 'echo'): RpcInvocation => ({
  path: 'org.apache.dubbo.test.EchoService',
  version: '1.0.0',
  method,
  parameterTypes: ['java.lang.String'],
  args: [arg],
});

const cleanups: Array<() => Promise<void>> = [];

/** For afterEach: closes what the test opened, last first. */
export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    await cleanups.pop()!();
  }
}

export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export async function fake(handler?: (r: FakeRequest, p: FakeDubboProvider) => void): Promise<FakeDubboProvider> {
  const p = await FakeDubboProvider.start(handler);
  onCleanup(() => p.close());
  return p;
}

/** A logger that keeps what it is given, by level. */
export function recordingLogger(): DubboLogger & { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  return {
    errors,
    warnings,
    log: () => undefined,
    warn: (message) => warnings.push(message),
    error: (message) => errors.push(message),
    debug: () => undefined,
  };
}

export function connection(p: FakeDubboProvider, extra: Partial<DubboConnectionOptions> = {}): DubboConnection {
  const c = new DubboConnection({ host: '127.0.0.1', port: p.port, ...extra });
  onCleanup(() => c.close());
  return c;
}

export function statusReached(c: DubboConnection, status: ConnectionStatus): Promise<void> {
  if (c.status === status) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const on = (next: ConnectionStatus): void => {
      if (next === status) {
        c.off('status', on);
        resolve();
      }
    };
    c.on('status', on);
  });
}
