/**
 * Peer: sofa-rpc-node 2.10.0 RpcClient with the dubbo-remoting 2.1.4 protocol, its ZooKeeper registry
 * pointed at the /dubbo root (address `host:port/dubbo`) so it reads Dubbo-format provider URLs; one
 * pipelined connection. `group: ''` keeps it from sending group=SOFA. No generic API: `$invoke` is
 * an ordinary call whose arguments carry their Java types.
 */
import { argValue, serve } from '../lib/harness.js';
import { ECHO_SERVICE, SERVICE_VERSION, SPECS, USER_SERVICE } from '../lib/workloads.js';
import { genericInvokeArgs, loadPeer } from './peers.js';

interface Consumer {
  ready(): Promise<void>;
  invoke(method: string, args: unknown[]): Promise<unknown>;
}

const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (...a: unknown[]) => process.stderr.write(`[sofa-rpc-node] WARN ${a.map(String).join(' ')}\n`),
  error: (...a: unknown[]) => process.stderr.write(`[sofa-rpc-node] ERROR ${a.map(String).join(' ')}\n`),
};

await serve('sofa-rpc-node', async () => {
  const sofa = loadPeer('sofa-rpc-node') as {
    client: {
      RpcClient: new (o: unknown) => {
        on(e: string, f: (err: unknown) => void): void;
        createConsumer(o: unknown): Consumer;
        close(): Promise<void>;
      };
    };
    registry: { ZookeeperRegistry: new (o: unknown) => { close(): Promise<void> } };
  };
  const registry = new sofa.registry.ZookeeperRegistry({ logger, address: `${argValue('zk')}/dubbo` });
  const client = new sofa.client.RpcClient({ logger, registry, protocol: loadPeer('dubbo-remoting') });
  client.on('error', (err) => logger.error(err));
  const consumer = (interfaceName: string): Consumer =>
    client.createConsumer({ interfaceName, version: SERVICE_VERSION, group: '', responseTimeout: 5000 });
  const echo = consumer(ECHO_SERVICE);
  const users = consumer(USER_SERVICE);
  await Promise.all([echo.ready(), users.ready()]);
  return {
    mode: 'generic $invoke',
    calls: {
      echo: () => echo.invoke('$invoke', genericInvokeArgs(SPECS.echo.method, SPECS.echo.parameterTypes, 'echo')),
      user: () => users.invoke('$invoke', genericInvokeArgs(SPECS.user.method, SPECS.user.parameterTypes, 'user')),
      bytes: () => echo.invoke('$invoke', genericInvokeArgs(SPECS.bytes.method, SPECS.bytes.parameterTypes, 'bytes')),
    },
    close: async () => {
      await client.close();
      await registry.close();
    },
  };
});
