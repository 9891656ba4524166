export type { Configurator, ConsumerIdentity } from './configurators.js';
export { applyConfigurators, orderConfigurators, parseConfiguratorNode } from './configurators.js';
export { DirectRegistry } from './direct-registry.js';
export {
  classifyProviderNode,
  decodeNodeName,
  type DubboUrl,
  encodeNodeName,
  formatUrl,
  MalformedUrlError,
  matchesKey,
  parseUrl,
  type ProviderUrl,
  type ServiceKey,
  serviceKeyString,
  toProviderUrl,
} from './provider-url.js';
export type { ConsumerRegistration, PathStats, ProviderListener, Registry, RegistryStats, RegistryStatus } from './registry.interface.js';
export { ZookeeperRegistry, type ZookeeperRegistryConfig } from './zookeeper-registry.js';
