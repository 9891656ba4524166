/** @default 2 */
export const DEFAULT_RETRIES = 2;
/** @default 10000 */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10000;
/** Protocol, transport and registry defaults live with their layers; re-exported here for the public API. */
export { DEFAULT_MAX_PAYLOAD_BYTES } from './protocol/constants.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_TIMEOUT_MS,
} from './transport/defaults.js';
export {
  DEFAULT_REGISTRY_CONNECT_TIMEOUT_MS,
  DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS,
  DEFAULT_ROOT_PATH,
  DEFAULT_SESSION_TIMEOUT_MS,
} from './registry/zookeeper/defaults.js';

/** Distinct interfaces one client subscribes to (each is a ZooKeeper watch for the life of the process). */
export const DEFAULT_MAX_SERVICES = 4096;
/** References (group/interface:version) alive at once. */
export const DEFAULT_MAX_REFERENCES = 4096;

/** Logger context of every Nest-side log line. */
export const LOG_CONTEXT = 'DubboGenericModule';

/** Token of the validated, frozen options. @internal */
export const RESOLVED_OPTIONS = 'DUBBO_GENERIC:RESOLVED_OPTIONS';
