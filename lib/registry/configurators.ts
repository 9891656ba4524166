/**
 * `override://` and `absent://` rules found under `/dubbo/<interface>/configurators`, applied the way
 * a Dubbo consumer applies them (AbstractConfigurator, pre-2.7 "deprecated" form, which is what the
 * registry tree carries). Pure functions, no I/O.
 */
import { type DubboUrl, readNodeName } from './provider-url.js';
import { ANY_VALUE } from './service-key.js';

export const ANYHOST = '0.0.0.0';

/** One rule. `override` replaces parameters, `absent` only fills missing ones. */
export interface Configurator {
  readonly kind: 'override' | 'absent';
  readonly host: string;
  /** 0 = every port (then host names a consumer or is 0.0.0.0). */
  readonly port: number;
  readonly priority: number;
  /** Conditions: application, side, `~key` (provider param must equal), `providerAddresses`. */
  readonly conditions: Readonly<Record<string, string>>;
  /** Parameters to set on matching providers. */
  readonly values: Readonly<Record<string, string>>;
  readonly raw: string;
}

/** Who the consumer is, for rules aimed at one consumer host or application. */
export interface ConsumerIdentity {
  host: string;
  application: string;
}

// Keys that select where a rule applies, or describe the rule itself; never copied onto providers.
const CONDITION_KEYS = new Set([
  'category',
  'check',
  'dynamic',
  'enabled',
  'group',
  'version',
  'application',
  'side',
  'configVersion',
  'compatible_config',
  'interfaces',
  'anyhost',
  'priority',
  'providerAddresses',
  'providers',
]);

export type ConfiguratorVerdict =
  { kind: 'rule'; rule: Configurator } | { kind: 'clear' } | { kind: 'ignored'; reason: string } | { kind: 'malformed'; reason: string };

/** Classifies one child of `configurators`. */
export function parseConfiguratorNode(nodeName: string): ConfiguratorVerdict {
  const node = readNodeName(nodeName);
  return 'malformed' in node ? { kind: 'malformed', reason: node.malformed } : configuratorFromUrl(node.url, node.raw);
}

export function configuratorFromUrl(url: DubboUrl, raw: string): ConfiguratorVerdict {
  if (url.protocol === 'empty') {
    return { kind: 'clear' };
  }
  if (url.protocol !== 'override' && url.protocol !== 'absent') {
    return { kind: 'ignored', reason: `protocol ${url.protocol}` };
  }
  if (url.host === '') {
    return { kind: 'malformed', reason: `rule without a host: '${raw}'` };
  }
  if (url.params['enabled'] === 'false') {
    return { kind: 'ignored', reason: 'rule disabled (enabled=false)' };
  }
  const conditions: Record<string, string> = {};
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(url.params)) {
    if (key.startsWith('~') || key === 'application' || key === 'side' || key === 'providerAddresses' || key === 'providers') {
      conditions[key] = value;
    } else if (!CONDITION_KEYS.has(key)) {
      values[key] = value;
    }
  }
  if (url.username !== undefined && conditions['application'] === undefined) {
    conditions['application'] = url.username;
  }
  if (Object.keys(values).length === 0 && Object.keys(conditions).length === 0) {
    // Dubbo ignores a rule whose only parameter is anyhost (or that has none).
    return { kind: 'ignored', reason: 'rule sets nothing' };
  }
  const priority = Number(url.params['priority'] ?? 0);
  return {
    kind: 'rule',
    rule: Object.freeze({
      kind: url.protocol,
      host: url.host,
      port: url.port,
      priority: Number.isFinite(priority) ? priority : 0,
      conditions: Object.freeze(conditions),
      values: Object.freeze(values),
      raw,
    }),
  };
}

/**
 * Rules in the order Dubbo applies them (later wins): 0.0.0.0 before specific hosts, then by
 * ascending priority. An `empty://` entry anywhere clears every rule.
 */
export function orderConfigurators(verdicts: readonly ConfiguratorVerdict[]): Configurator[] {
  if (verdicts.some((v) => v.kind === 'clear')) {
    return [];
  }
  const rules = verdicts.flatMap((v) => (v.kind === 'rule' ? [v.rule] : []));
  return rules.sort((a, b) => (a.host === b.host ? a.priority - b.priority : a.host < b.host ? -1 : 1));
}

function hostMatches(rule: Configurator, provider: DubboUrl, consumer: ConsumerIdentity): boolean {
  if (rule.port !== 0) {
    // A rule with a port names one provider instance.
    return rule.port === provider.port && (rule.host === ANYHOST || rule.host === provider.host);
  }
  // Without a port the host is 0.0.0.0 (everyone) or this consumer's own address.
  return rule.host === ANYHOST || rule.host === consumer.host;
}

function conditionsMatch(rule: Configurator, provider: DubboUrl, consumer: ConsumerIdentity): boolean {
  const addresses = rule.conditions['providerAddresses'] ?? rule.conditions['providers'];
  if (addresses !== undefined && addresses !== '') {
    const list = addresses.split(',').map((a) => a.trim());
    if (!list.includes(`${provider.host}:${provider.port}`) && !list.includes(ANYHOST)) {
      return false;
    }
  }
  for (const [key, value] of Object.entries(rule.conditions)) {
    if (value === ANY_VALUE || key === 'providerAddresses' || key === 'providers') {
      continue;
    }
    // On the consumer side the merged URL carries the consumer's application and side=consumer.
    if (key === 'application' && value !== consumer.application) {
      return false;
    }
    if (key === 'side' && value !== 'consumer') {
      return false;
    }
    if (key.startsWith('~') && provider.params[key.slice(1)] !== value) {
      return false;
    }
  }
  return true;
}

/** The provider's parameters after every matching rule, in order. */
export function applyConfigurators(
  provider: DubboUrl,
  rules: readonly Configurator[],
  consumer: ConsumerIdentity,
): Readonly<Record<string, string>> {
  let params: Record<string, string> | undefined;
  for (const rule of rules) {
    if (!hostMatches(rule, provider, consumer) || !conditionsMatch(rule, provider, consumer)) {
      continue;
    }
    params ??= { ...provider.params };
    for (const [key, value] of Object.entries(rule.values)) {
      if (rule.kind === 'override' || params[key] === undefined) {
        params[key] = value;
      }
    }
  }
  return params ?? provider.params;
}
