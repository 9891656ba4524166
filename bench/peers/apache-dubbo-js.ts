/**
 * Peer: apache-dubbo-js 3.0.0-rc6 (the Apache dubbo-js "dubbo2" consumer, hessian.js 2.5): ZooKeeper
 * registry, one pipelined socket per provider, a timeout timer per call. It has no generic API, so
 * `$invoke` is declared as one more proxied method whose arguments carry their Java types. Each
 * proxied call resolves to `{ err, res }`. Needs NODE_ENV=production (the driver sets it): otherwise
 * it walks its whole in-flight queue and pretty-prints every request on each call.
 */
import { argValue, serve } from '../lib/harness.js';
import { ECHO_SERVICE, SERVICE_VERSION, SPECS, USER_SERVICE } from '../lib/workloads.js';
import { genericInvokeArgs, loadPeer } from './peers.js';

interface Out {
  err?: unknown;
  res?: unknown;
}

function unwrap(out: Out | undefined): unknown {
  if (!out) {
    throw new Error('empty result from apache-dubbo-js');
  }
  if (out.err) {
    throw out.err instanceof Error ? out.err : new Error(String(out.err));
  }
  return out.res;
}

await serve('apache-dubbo-js', async () => {
  const { Dubbo, setting } = loadPeer('apache-dubbo-js') as {
    Dubbo: new (options: unknown) => { ready(): Promise<void>; service: Record<string, Record<string, (...a: unknown[]) => Promise<Out>>> };
    setting: { match(rule: string[], meta: { version: string }): unknown };
  };
  const proxy = (dubboInterface: string) => (d: { proxyService(o: unknown): unknown }) =>
    d.proxyService({
      dubboInterface,
      methods: { $invoke: (m: string, t: string[], w: 'echo' | 'user' | 'bytes') => genericInvokeArgs(m, t, w) },
    });
  const dubbo = new Dubbo({
    application: { name: 'bench-apache-dubbo-js' },
    register: argValue('zk'),
    dubboSetting: setting.match([ECHO_SERVICE, USER_SERVICE], { version: SERVICE_VERSION }),
    dubboInvokeTimeout: 5,
    service: { echo: proxy(ECHO_SERVICE), users: proxy(USER_SERVICE) },
  });
  await dubbo.ready();
  const echo = dubbo.service['echo']!;
  const users = dubbo.service['users']!;
  return {
    mode: 'generic $invoke',
    calls: {
      echo: async () => unwrap(await echo['$invoke']!(SPECS.echo.method, SPECS.echo.parameterTypes, 'echo')),
      user: async () => unwrap(await users['$invoke']!(SPECS.user.method, SPECS.user.parameterTypes, 'user')),
      bytes: async () => unwrap(await echo['$invoke']!(SPECS.bytes.method, SPECS.bytes.parameterTypes, 'bytes')),
    },
    // It has no public close(); the process exits after the last run.
    close: () => undefined,
  };
});
