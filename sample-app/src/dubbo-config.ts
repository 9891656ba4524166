import { type DubboGenericModuleOptions } from 'nestjs-dubbo-generic';

/**
 * Environment variables the sample app reads (see sample-app/README.md):
 * - DUBBO_ZK: ZooKeeper connect string, e.g. `127.0.0.1:2181` (or `h1:2181,h2:2181/chroot`);
 * - DUBBO_DIRECT: comma list of `dubbo://host:port`, called directly with no registry;
 * - DUBBO_APP: consumer application name, as registered in ZooKeeper.
 */
export type SampleAppEnv = Readonly<Record<string, string | undefined>>;

export const DEFAULT_APPLICATION = 'dubbo-gateway-sample';

export const USER_SERVICE = 'org.apache.dubbo.test.UserService';
export const USER_SERVICE_VERSION = '1.0.0';

/**
 * Builds the module options from the environment, at the moment the module resolves them (so a
 * test can set the variables before compiling the application). DUBBO_DIRECT wins over DUBBO_ZK.
 */
export function dubboOptionsFromEnv(env: SampleAppEnv = process.env): DubboGenericModuleOptions {
  const application = env['DUBBO_APP']?.trim() || DEFAULT_APPLICATION;
  const direct = (env['DUBBO_DIRECT'] ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
  const zk = env['DUBBO_ZK']?.trim();
  if (direct.length === 0 && !zk) {
    throw new Error('Set DUBBO_ZK (ZooKeeper address) or DUBBO_DIRECT (comma list of dubbo://host:port)');
  }
  return {
    application,
    registry: direct.length > 0 ? { direct } : { address: zk as string },
    defaults: { timeoutMs: 3000, retries: 2 },
    // Warm the one service the typed endpoints use; the gateway creates its references on first use.
    references: [{ service: USER_SERVICE, version: USER_SERVICE_VERSION }],
    // A gateway keeps running while ZooKeeper is away: /health answers 503 and calls fail with a
    // typed error until the registry is back.
    onRegistryUnavailable: 'background',
    shutdownTimeoutMs: 10000,
  };
}
