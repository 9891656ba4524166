/**
 * Peer: node-zookeeper-dubbo 3.0.15. Reads /dubbo/<interface>/providers and turns the names in the
 * provider URL's `methods` key into functions: it cannot call `$invoke` (never listed there), so it
 * is measured with typed calls. Three sockets per provider with ONE call in flight each (request id
 * always 0); the rest queue inside it. No per-call timeout. Every argument must be a
 * `{ $class, $ }` wrapper (it derives the method descriptor from them), and its descriptor table has
 * no `byte`, so a byte[] parameter cannot be expressed: the byte[] workload is unsupported. It only
 * parses result flags 0-2, so it must announce Dubbo 2.0.0 (see dubboVer below).
 */
import { argValue, serve } from '../lib/harness.js';
import { ECHO_SERVICE, ECHO_TEXT, SERVICE_VERSION, USER_SERVICE, userTypedArg } from '../lib/workloads.js';
import { loadPeer } from './peers.js';

type Svc = Record<string, (...args: unknown[]) => Promise<unknown>>;

await serve('node-zookeeper-dubbo', async () => {
  const NZD = loadPeer('node-zookeeper-dubbo') as new (o: unknown) => Record<string, Svc | undefined> & { client: { close(): void } };
  const nzd = new NZD({
    application: { name: 'bench-node-zookeeper-dubbo' },
    registry: argValue('zk'),
    // With '2.0.2' in the request a 3.x provider answers with attachments (result flag 4, Dubbo
    // >= 2.0.2), which node-zookeeper-dubbo rejects ("Unknown result flag, expect '0' '1' '2', get 4").
    // Declaring 2.0.0 makes the provider answer without them (flags 0-2).
    dubboVer: '2.0.0',
    root: 'dubbo',
    dependencies: {
      Echo: { interface: ECHO_SERVICE, version: SERVICE_VERSION, timeout: 5000 },
      User: { interface: USER_SERVICE, version: SERVICE_VERSION, timeout: 5000 },
    },
  });
  for (let i = 0; i < 100 && !(nzd['Echo'] && nzd['User']); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const echo = nzd['Echo'];
  const users = nzd['User'];
  if (!echo || !users) {
    throw new Error('node-zookeeper-dubbo did not resolve the services from ZooKeeper');
  }
  const text = { $class: 'java.lang.String', $: ECHO_TEXT };
  const user = userTypedArg();
  return {
    mode: 'typed (no $invoke)',
    calls: {
      echo: () => echo['echo']!(text),
      user: () => users['create']!(user),
    },
    unsupported: { bytes: "cannot express a byte[] parameter: its descriptor table has no 'byte' ('[byte' becomes '[undefined')" },
    close: () => nzd.client.close(),
  };
});
