/**
 * Dubbo URLs as they appear as ZooKeeper node names under `/dubbo/<interface>/<category>`: decoding,
 * parsing, formatting and Dubbo's matching rules. Pure functions, no I/O.
 */
import { DEFAULT_WARMUP_MS, DEFAULT_WEIGHT } from '../cluster/load-balance.js';
import { ANY_VALUE, normalizeGroup, normalizeVersion } from './service-key.js';

/** A URL split into its parts; parameter values are kept exactly as written (Dubbo never encodes them). */
export interface DubboUrl {
  protocol: string;
  username?: string;
  password?: string;
  host: string;
  /** 0 when the URL names no port. */
  port: number;
  /** Path without the leading slash; normally the interface name. */
  path: string;
  params: Readonly<Record<string, string>>;
}

/**
 * One usable provider of a service, after configurators were applied.
 * @publicApi
 */
export interface ProviderUrl {
  /** `host:port`, the key of the connection pool. */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  /** The `path` to send with each call (normally the interface). */
  readonly path: string;
  readonly interface: string;
  /** '' when the provider registered no version. */
  readonly version: string;
  /** '' when the provider registered no group. */
  readonly group: string;
  /** @default 100 */
  readonly weight: number;
  /** Provider start time in ms (warm-up basis); 0 when absent. */
  readonly timestamp: number;
  readonly token: string | undefined;
  readonly timeout: number | undefined;
  readonly retries: number | undefined;
  readonly loadbalance: string | undefined;
  /** Warm-up period in ms. @default 600000 (Dubbo's) */
  readonly warmup: number;
  /** Taken out of rotation (`disabled=true`, or `enabled=false`). Listeners never receive disabled providers. */
  readonly disabled: boolean;
  /** Method names the provider exports, when it says. */
  readonly methods: readonly string[];
  /** Every parameter after configurators; method-level ones as `method.key`. */
  readonly params: Readonly<Record<string, string>>;
  /** The decoded URL as registered (before configurators). */
  readonly raw: string;
}

/** The service interface of a URL: `interface` param, else the path (simplified registries omit it). */
export function serviceInterface(url: DubboUrl): string {
  return url.params['interface'] ?? url.path;
}

/** Thrown for a node name or URL that cannot be parsed; the registry skips such nodes. */
export class MalformedUrlError extends Error {
  override readonly name = 'MalformedUrlError';
}

/** Decodes a node name written by java.net.URLEncoder (UTF-8): '+' is a space. */
export function decodeNodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    throw new MalformedUrlError(`node name is not URL-encoded text: '${name}'`);
  }
}

/** Encodes like java.net.URLEncoder with UTF-8, so Java tools decode our node names exactly. */
export function encodeNodeName(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(c)) {
      out += c;
    } else if (byte === 0x20) {
      out += '+';
    } else {
      out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

const URL_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^/@?]*)@)?(\[[0-9A-Fa-f:.]+\]|[^/:?[\]]*)(?::(\d*))?(?:\/([^?]*))?(?:\?(.*))?$/s;

/** Parses `protocol://[user[:pass]@]host[:port][/path][?k=v&...]` the way Dubbo's URL.valueOf does. */
export function parseUrl(text: string): DubboUrl {
  const m = URL_RE.exec(text.trim());
  if (!m) {
    throw new MalformedUrlError(`not a URL: '${text}'`);
  }
  const [, protocol = '', userInfo, host = '', portText, path = '', query = ''] = m;
  let port = 0;
  if (portText !== undefined && portText !== '') {
    port = Number(portText);
    if (!Number.isInteger(port) || port > 65535) {
      throw new MalformedUrlError(`bad port '${portText}' in '${text}'`);
    }
  }
  const params: Record<string, string> = {};
  for (const pair of query.split('&')) {
    if (pair === '') {
      continue;
    }
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const value = (eq < 0 ? pair : pair.slice(eq + 1)).trim();
    // Dubbo drops empty keys and values, and a bare `k` means k=k.
    if (key !== '' && value !== '') {
      params[key] = value;
    }
  }
  const url: DubboUrl = { protocol: protocol.toLowerCase(), host, port, path, params };
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    url.username = colon < 0 ? userInfo : userInfo.slice(0, colon);
    if (colon >= 0) {
      url.password = userInfo.slice(colon + 1);
    }
  }
  return url;
}

/** Formats a URL with parameters sorted by key, as Dubbo's toFullString does. */
export function formatUrl(url: DubboUrl): string {
  const user = url.username !== undefined ? `${url.username}${url.password !== undefined ? `:${url.password}` : ''}@` : '';
  const port = url.port > 0 ? `:${url.port}` : '';
  const query = Object.keys(url.params)
    .sort()
    .map((k) => `${k}=${url.params[k] ?? ''}`)
    .join('&');
  return `${url.protocol}://${user}${url.host}${port}/${url.path}${query ? `?${query}` : ''}`;
}

function intParam(params: Readonly<Record<string, string>>, key: string): number | undefined {
  const text = params[key];
  if (text === undefined) {
    return undefined;
  }
  const n = Number(text);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** Whether the (effective) parameters take the provider out of rotation. */
export function isDisabled(params: Readonly<Record<string, string>>): boolean {
  const disabled = params['disabled'];
  if (disabled !== undefined) {
    return disabled === 'true';
  }
  return params['enabled'] === 'false';
}

/** Builds the typed view of a provider from its URL and its effective (configured) parameters. */
export function toProviderUrl(url: DubboUrl, raw: string, params: Readonly<Record<string, string>> = url.params): ProviderUrl {
  const weight = intParam(params, 'weight');
  const warmup = intParam(params, 'warmup');
  const methods = params['methods'];
  const host = url.host;
  return Object.freeze({
    address: `${host}:${url.port}`,
    host,
    port: url.port,
    path: url.path || serviceInterface(url),
    interface: params['interface'] ?? url.path,
    version: normalizeVersion(params['version']),
    group: normalizeGroup(params['group']),
    weight: weight === undefined || weight < 0 ? DEFAULT_WEIGHT : weight,
    timestamp: intParam(params, 'timestamp') ?? 0,
    token: params['token'],
    timeout: intParam(params, 'timeout'),
    retries: intParam(params, 'retries'),
    loadbalance: params['loadbalance'],
    warmup: warmup === undefined || warmup < 0 ? DEFAULT_WARMUP_MS : warmup,
    disabled: isDisabled(params),
    methods: methods
      ? Object.freeze(
          methods
            .split(',')
            .map((m) => m.trim())
            .filter((m) => m !== ''),
        )
      : Object.freeze([]),
    params: Object.freeze({ ...params }),
    raw,
  });
}

/** Decodes and parses a node name; a malformed one yields its reason instead of throwing. */
export function readNodeName(nodeName: string): { raw: string; url: DubboUrl } | { malformed: string } {
  try {
    const raw = decodeNodeName(nodeName);
    return { raw, url: parseUrl(raw) };
  } catch (err) {
    return { malformed: (err as Error).message };
  }
}

export type ProviderNodeVerdict =
  | { kind: 'provider'; url: DubboUrl; raw: string }
  | { kind: 'ignored'; reason: string; raw: string }
  | { kind: 'malformed'; reason: string };

/**
 * Classifies one child of `providers`: a dubbo:// provider of this interface, a node to ignore
 * silently (another protocol, empty://, another category), or a malformed one (warn once).
 */
export function classifyProviderNode(nodeName: string, iface: string): ProviderNodeVerdict {
  const node = readNodeName(nodeName);
  if ('malformed' in node) {
    return { kind: 'malformed', reason: node.malformed };
  }
  const { raw, url } = node;
  if (url.protocol !== 'dubbo') {
    return { kind: 'ignored', reason: `protocol ${url.protocol}`, raw };
  }
  if (url.host === '' || url.port <= 0) {
    return { kind: 'malformed', reason: `dubbo URL without host:port: '${raw}'` };
  }
  const category = url.params['category'];
  if (category !== undefined && category !== ANY_VALUE && !category.split(',').includes('providers')) {
    return { kind: 'ignored', reason: `category ${category}`, raw };
  }
  const urlInterface = serviceInterface(url);
  if (urlInterface !== iface && urlInterface !== ANY_VALUE) {
    return { kind: 'ignored', reason: `interface ${urlInterface}`, raw };
  }
  return { kind: 'provider', url, raw };
}
