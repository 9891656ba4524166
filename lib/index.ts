/**
 * Public entry point: everything exported here is the package's API. The engine behind
 * GenericClient (bootstrap, consumer, registries, pool, codec) is internal; its counters are public
 * through GenericClient.diagnostics(). test/unit/public-api.spec.ts pins both lists.
 */
export { DubboGenericModule } from './dubbo-generic.module.js';
export { type DubboGenericModuleAsyncOptions } from './dubbo-generic.module-definition.js';
export { GenericClient, type GenericServiceHandle } from './generic-client.js';
export { getDubboGenericOptionsToken, getGenericClientToken, InjectDubboGenericOptions } from './dubbo-generic.tokens.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_REFERENCES,
  DEFAULT_MAX_SERVICES,
  DEFAULT_REGISTRY_CONNECT_TIMEOUT_MS,
  DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRIES,
  DEFAULT_ROOT_PATH,
  DEFAULT_SESSION_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
} from './dubbo-generic.constants.js';
export type {
  CallDefaults,
  ClusterMode,
  DirectRegistryOptions,
  DubboGenericModuleOptions,
  DubboGenericOptionsFactory,
  LoadBalanceMode,
  ReferenceDeclaration,
  ZookeeperRegistryOptions,
} from './interfaces/dubbo-generic-options.interface.js';
export type { CallOptions, GenericInvocation, ServiceSelector } from './interfaces/generic-invocation.interface.js';
export { INVOCATION_LIMITS, RESERVED_ATTACHMENT_KEYS } from './options/invocation-rules.js';
export type { DubboClientDiagnostics, DubboClientSnapshot, DubboClientStatus } from './interfaces/status.interface.js';
export type { PathStats, RegistryStats, RegistryStatus } from './registry/registry-status.js';
export type { ConnectionStatus } from './transport/connection-status.js';
export type { DubboLogger } from './logging/logger.js';
export * from './errors/index.js';
