import { type DubboLogger } from '../logging/logger.js';
import { type ResolvedDubboGenericOptions } from '../options/resolve-options.js';
import { DirectRegistry } from '../registry/direct-registry.js';
import { type Registry } from '../registry/registry.interface.js';
import { ZookeeperRegistry } from '../registry/zookeeper/zookeeper-registry.js';

/** The registry the resolved options name: fixed provider URLs, or a ZooKeeper session. */
export function buildRegistry(options: ResolvedDubboGenericOptions, logger: DubboLogger): Registry {
  const r = options.registry;
  if (r.kind === 'direct') {
    return new DirectRegistry(r.urls);
  }
  return new ZookeeperRegistry({
    address: r.address,
    rootPath: r.rootPath,
    sessionTimeoutMs: r.sessionTimeoutMs,
    connectTimeoutMs: r.connectTimeoutMs,
    requestTimeoutMs: r.requestTimeoutMs,
    auth: r.auth,
    application: options.application,
    logger,
  });
}
