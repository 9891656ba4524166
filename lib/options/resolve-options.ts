import {
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
} from '../dubbo-generic.constants.js';
import { DubboConfigError } from '../errors/dubbo-config.error.js';
import { DEFAULT_CONNECTIONS_PER_ADDRESS } from '../transport/defaults.js';
import { type ClusterMode, type DubboGenericModuleOptions, type LoadBalanceMode } from '../interfaces/dubbo-generic-options.interface.js';
import { type DubboLogger } from '../logging/logger.js';
import { unknownKeyMessage } from '../utils/nearest-key.js';
import { checkGroup, checkServiceName, checkVersion } from './invocation-rules.js';

export interface ResolvedCallDefaults {
  timeoutMs: number;
  retries: number;
  cluster: ClusterMode;
  loadbalance: LoadBalanceMode;
}

export type ResolvedRegistryOptions =
  | {
      kind: 'zookeeper';
      address: string;
      rootPath: string;
      sessionTimeoutMs: number;
      connectTimeoutMs: number;
      requestTimeoutMs: number;
      auth: string | undefined;
      register: boolean;
    }
  | { kind: 'direct'; urls: string[] };

export interface ResolvedReference extends ResolvedCallDefaults {
  service: string;
  version: string;
  group: string;
  check: boolean;
}

/** Options after validation and defaults: what every other part reads. Frozen. */
export interface ResolvedDubboGenericOptions {
  application: string;
  registry: ResolvedRegistryOptions;
  defaults: ResolvedCallDefaults;
  references: ResolvedReference[];
  onRegistryUnavailable: 'fail' | 'background';
  shutdownTimeoutMs: number;
  referenceIdleMs: number;
  maxPayloadBytes: number;
  connections: number;
  connectTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxInFlightPerConnection: number;
  maxServices: number;
  maxReferences: number;
  logger: DubboLogger | false | undefined;
}

const CLUSTERS: readonly ClusterMode[] = ['failover', 'failfast', 'failsafe'];
const BALANCERS: readonly LoadBalanceMode[] = ['random', 'roundrobin', 'leastactive', 'shortestresponse'];
/** Balancers Java has and this client does not yet: refused by name rather than run as something else. */
const UNSUPPORTED_BALANCERS: Readonly<Record<string, string>> = {
  consistenthash: 'is not supported yet: the same arguments would not stick to the same provider',
};
const HOST_PORT = /^[^\s:/,]+:(\d{1,5})$/;

const CALL_DEFAULT_KEYS = ['timeoutMs', 'retries', 'cluster', 'loadbalance'] as const;
const REFERENCE_KEYS = ['service', 'version', 'group', 'check', ...CALL_DEFAULT_KEYS] as const;
const ZOOKEEPER_KEYS = ['address', 'rootPath', 'sessionTimeoutMs', 'connectTimeoutMs', 'requestTimeoutMs', 'auth', 'register'] as const;
const DIRECT_KEYS = ['direct'] as const;
const MODULE_KEYS = [
  'application',
  'registry',
  'defaults',
  'references',
  'onRegistryUnavailable',
  'shutdownTimeoutMs',
  'referenceIdleMs',
  'maxPayloadBytes',
  'connections',
  'connectTimeoutMs',
  'heartbeatIntervalMs',
  'maxInFlightPerConnection',
  'maxServices',
  'maxReferences',
  'logger',
] as const;

function fail(key: string, message: string): never {
  throw new DubboConfigError(key, message);
}

/** Unknown keys are refused with the nearest valid one: a typo must not fall back to a default. */
function onlyKnown(prefix: string, raw: Record<string, unknown>, valid: readonly string[]): void {
  for (const key of Object.keys(raw)) {
    if (!valid.includes(key)) {
      fail(prefix ? `${prefix}.${key}` : key, unknownKeyMessage(key, valid));
    }
  }
}

function rethrow(error: DubboConfigError | undefined): void {
  if (error) {
    throw error;
  }
}

/** A TCP port: 1 to 65535 (0 would mean "any port" to a server, nothing to a client). */
function validPort(text: string): boolean {
  const port = Number(text);
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

function describe(value: unknown): string {
  return value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
}

function integer(key: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(key, `must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

function balancer(key: string, value: unknown, fallback: LoadBalanceMode): LoadBalanceMode {
  const unsupported = typeof value === 'string' && Object.hasOwn(UNSUPPORTED_BALANCERS, value) ? UNSUPPORTED_BALANCERS[value] : undefined;
  if (unsupported !== undefined) {
    fail(key, `'${String(value)}' ${unsupported}; choose one of ${BALANCERS.map((a) => `'${a}'`).join(', ')}`);
  }
  return oneOf(key, value, BALANCERS, fallback);
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    fail(key, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

function optionalString(key: string, value: unknown, fallback: string): string {
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'string') {
    fail(key, `must be a string, got ${describe(value)}`);
  }
  return value;
}

function callDefaults(prefix: string, raw: unknown, base: ResolvedCallDefaults): ResolvedCallDefaults {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null)) {
    fail(prefix, `must be an object, got ${describe(raw)}`);
  }
  const r = (raw ?? {}) as Record<string, unknown>;
  if (prefix === 'defaults') {
    onlyKnown(prefix, r, CALL_DEFAULT_KEYS);
  }
  const key = (k: string): string => (prefix ? `${prefix}.${k}` : k);
  return {
    timeoutMs: integer(key('timeoutMs'), r['timeoutMs'], base.timeoutMs, 1, 2 ** 31 - 1),
    retries: integer(key('retries'), r['retries'], base.retries, 0, 100),
    cluster: oneOf(key('cluster'), r['cluster'], CLUSTERS, base.cluster),
    loadbalance: balancer(key('loadbalance'), r['loadbalance'], base.loadbalance),
  };
}

function registry(raw: unknown): ResolvedRegistryOptions {
  if (typeof raw !== 'object' || raw === null) {
    fail('registry', `is required: { address: 'host:port' } for ZooKeeper or { direct: ['dubbo://host:port'] }, got ${describe(raw)}`);
  }
  const r = raw as Record<string, unknown>;
  if ('direct' in r && 'address' in r) {
    fail('registry', "takes either 'address' (ZooKeeper) or 'direct' (fixed providers), not both");
  }
  if ('direct' in r) {
    onlyKnown('registry', r, DIRECT_KEYS);
    const urls = r['direct'];
    if (!Array.isArray(urls) || urls.length === 0) {
      fail('registry.direct', `must be a non-empty array of 'dubbo://host:port' URLs, got ${describe(urls)}`);
    }
    urls.forEach((u, i) => {
      const port = typeof u === 'string' ? /^dubbo:\/\/[^\s:/?#]+:(\d{1,5})(\/|\?|$)/.exec(u)?.[1] : undefined;
      if (port === undefined || !validPort(port)) {
        fail(`registry.direct[${i}]`, `must be a 'dubbo://host:port' URL, got ${describe(u)}`);
      }
    });
    return { kind: 'direct', urls: [...(urls as string[])] };
  }
  onlyKnown('registry', r, ZOOKEEPER_KEYS);
  const address = r['address'];
  if (typeof address !== 'string' || address.trim() === '') {
    fail('registry.address', `must be a ZooKeeper connect string such as '127.0.0.1:2181', got ${describe(address)}`);
  }
  const [hosts = '', ...chroot] = address.split('/');
  for (const host of hosts.split(',')) {
    const port = HOST_PORT.exec(host.trim())?.[1];
    if (port === undefined) {
      fail('registry.address', `each host must be 'host:port', got '${host}' in '${address}'`);
    }
    if (!validPort(port)) {
      fail('registry.address', `port ${port} of '${host.trim()}' is not a TCP port (1 to 65535)`);
    }
  }
  if (chroot.length > 0 && chroot.join('/') === '') {
    fail('registry.address', `has an empty chroot in '${address}'`);
  }
  const rootPath = optionalString('registry.rootPath', r['rootPath'], DEFAULT_ROOT_PATH);
  if (!rootPath.startsWith('/') || (rootPath.length > 1 && rootPath.endsWith('/'))) {
    fail('registry.rootPath', `must start with '/' and not end with '/', got ${describe(rootPath)}`);
  }
  const auth = r['auth'];
  if (auth !== undefined && (typeof auth !== 'string' || !/^[^:]+:.*$/.test(auth))) {
    fail('registry.auth', "must be digest credentials 'user:password'");
  }
  const register = r['register'];
  if (register !== undefined && typeof register !== 'boolean') {
    fail('registry.register', `must be a boolean, got ${describe(register)}`);
  }
  return {
    kind: 'zookeeper',
    address: address.trim(),
    rootPath,
    sessionTimeoutMs: integer('registry.sessionTimeoutMs', r['sessionTimeoutMs'], DEFAULT_SESSION_TIMEOUT_MS, 1000, 2 ** 31 - 1),
    connectTimeoutMs: integer('registry.connectTimeoutMs', r['connectTimeoutMs'], DEFAULT_REGISTRY_CONNECT_TIMEOUT_MS, 1, 2 ** 31 - 1),
    requestTimeoutMs: integer('registry.requestTimeoutMs', r['requestTimeoutMs'], DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS, 1, 2 ** 31 - 1),
    auth: auth as string | undefined,
    register: register ?? true,
  };
}

/** Validates raw module options once, applies every default and freezes the result. */
export function resolveOptions(raw: unknown): ResolvedDubboGenericOptions {
  if (typeof raw !== 'object' || raw === null) {
    fail('options', `must be an object, got ${describe(raw)}`);
  }
  const o = raw as DubboGenericModuleOptions & Record<string, unknown>;
  onlyKnown('', o, MODULE_KEYS);
  if (typeof o.application !== 'string' || o.application.trim() === '' || /[\s&=?/]/.test(o.application)) {
    fail('application', `must be a non-empty name without spaces or URL characters, got ${describe(o.application)}`);
  }
  const defaults = callDefaults('defaults', o.defaults, {
    timeoutMs: DEFAULT_TIMEOUT_MS,
    retries: DEFAULT_RETRIES,
    cluster: 'failover',
    loadbalance: 'random',
  });
  if (o.references !== undefined && !Array.isArray(o.references)) {
    fail('references', `must be an array, got ${describe(o.references)}`);
  }
  const references = (o.references ?? []).map((ref, i): ResolvedReference => {
    const key = `references[${i}]`;
    if (typeof ref !== 'object' || ref === null) {
      fail(key, `must be an object, got ${describe(ref)}`);
    }
    onlyKnown(key, ref as unknown as Record<string, unknown>, REFERENCE_KEYS);
    rethrow(checkServiceName(ref.service, `${key}.service`));
    rethrow(checkVersion(ref.version ?? undefined, `${key}.version`));
    rethrow(checkGroup(ref.group ?? undefined, `${key}.group`));
    if (ref.check !== undefined && typeof ref.check !== 'boolean') {
      fail(`${key}.check`, `must be a boolean, got ${describe(ref.check)}`);
    }
    return {
      ...callDefaults(key, ref, defaults),
      service: ref.service,
      version: optionalString(`${key}.version`, ref.version, ''),
      group: optionalString(`${key}.group`, ref.group, ''),
      check: ref.check ?? false,
    };
  });
  const logger = o.logger;
  if (logger !== undefined && logger !== false && (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function')) {
    fail('logger', 'must be false or an object with log/warn/error methods (a Nest LoggerService works)');
  }
  const resolved: ResolvedDubboGenericOptions = {
    application: o.application.trim(),
    registry: registry(o.registry),
    defaults,
    references,
    onRegistryUnavailable: oneOf('onRegistryUnavailable', o.onRegistryUnavailable, ['fail', 'background'] as const, 'fail'),
    shutdownTimeoutMs: integer('shutdownTimeoutMs', o.shutdownTimeoutMs, DEFAULT_SHUTDOWN_TIMEOUT_MS, 0, 2 ** 31 - 1),
    referenceIdleMs: integer('referenceIdleMs', o.referenceIdleMs, 0, 0, 2 ** 31 - 1),
    maxPayloadBytes: integer('maxPayloadBytes', o.maxPayloadBytes, DEFAULT_MAX_PAYLOAD_BYTES, 1024, 2 ** 31 - 1),
    connections: integer('connections', o.connections, DEFAULT_CONNECTIONS_PER_ADDRESS, 1, 64),
    connectTimeoutMs: integer('connectTimeoutMs', o.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 1, 2 ** 31 - 1),
    heartbeatIntervalMs: integer('heartbeatIntervalMs', o.heartbeatIntervalMs, DEFAULT_HEARTBEAT_INTERVAL_MS, 1000, 2 ** 31 - 1),
    maxInFlightPerConnection: integer('maxInFlightPerConnection', o.maxInFlightPerConnection, DEFAULT_MAX_IN_FLIGHT, 1, 1_000_000),
    maxServices: integer('maxServices', o.maxServices, DEFAULT_MAX_SERVICES, 1, 1_000_000),
    maxReferences: integer('maxReferences', o.maxReferences, DEFAULT_MAX_REFERENCES, 1, 1_000_000),
    logger,
  };
  return deepFreeze(resolved);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    // The logger is the caller's object: leave it alone.
    for (const [k, v] of Object.entries(value)) {
      if (k !== 'logger') {
        deepFreeze(v);
      }
    }
    Object.freeze(value);
  }
  return value;
}
