/** The name of a consumer node: the consumer URL that Dubbo's ops tools read. Pure, apart from the host fallback reading the OS. */
import { hostname, networkInterfaces } from 'node:os';
// The `dubbo` parameter of a consumer node is the protocol version this client speaks.
import { DUBBO_PROTOCOL_VERSION } from '../../protocol/constants.js';
import { encodeNodeName, formatUrl } from '../provider-url.js';
import { normalizeGroup, normalizeVersion } from '../service-key.js';
import { type ConsumerRegistration } from '../registry.interface.js';

export interface ConsumerNodeIdentity {
  readonly rootPath: string;
  readonly application: string;
  readonly host: string;
  /** Fixed per registry, so every session writes the same node name (never one per call). */
  readonly timestamp: number;
}

/** `<root>/<interface>/consumers/<encoded consumer URL>` for one interface/group/version. */
export function consumerNodePath(registration: ConsumerRegistration, identity: ConsumerNodeIdentity): string {
  const iface = registration.interface.trim();
  const params: Record<string, string> = {
    ...registration.params,
    application: identity.application,
    category: 'consumers',
    check: 'false',
    dubbo: DUBBO_PROTOCOL_VERSION,
    generic: 'true',
    interface: iface,
    pid: String(process.pid),
    side: 'consumer',
    timestamp: String(identity.timestamp),
  };
  const version = normalizeVersion(registration.version);
  const group = normalizeGroup(registration.group);
  if (version !== '') {
    params['version'] = version;
  }
  if (group !== '') {
    params['group'] = group;
  }
  const url = formatUrl({ protocol: 'consumer', host: identity.host, port: 0, path: iface, params });
  return `${identity.rootPath}/${encodeNodeName(iface)}/consumers/${encodeNodeName(url)}`;
}

/** The address to write while the local side of the ZooKeeper connection is unknown. */
export function fallbackHost(): string {
  return firstExternalIPv4() ?? hostname();
}

function firstExternalIPv4(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) {
        return address.address;
      }
    }
  }
  return undefined;
}
