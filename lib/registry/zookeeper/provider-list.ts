/**
 * The provider list of one interface, computed from the node names under `providers` and
 * `configurators`. Pure functions on strings: no ZooKeeper, no registry state; the only effects are
 * on the verdict caches handed in and the `warn` callback (once per malformed node).
 */
import {
  applyConfigurators,
  type ConfiguratorVerdict,
  type ConsumerIdentity,
  orderConfigurators,
  parseConfiguratorNode,
} from '../configurators.js';
import { classifyProviderNode, isDisabled, type ProviderNodeVerdict, type ProviderUrl, toProviderUrl } from '../provider-url.js';

/** Parse results per node name, kept across listings so that each malformed node is warned about once. */
export interface NodeVerdicts {
  readonly providers: Map<string, ProviderNodeVerdict>;
  readonly configurators: Map<string, ConfiguratorVerdict>;
}

export interface ProviderList {
  /** Enabled providers, configurators applied, in node-name order. */
  readonly providers: ProviderUrl[];
  /** The rules applied, one raw URL a line: part of what listeners compare to skip repeats. */
  readonly rules: string;
}

/**
 * Every enabled provider of `iface` once the configurators apply to it. Node names drop out of the
 * caches when they leave their listing.
 */
export function computeProviders(
  iface: string,
  providerNames: readonly string[],
  configuratorNames: readonly string[],
  caches: NodeVerdicts,
  consumer: ConsumerIdentity,
  warn: (message: string) => void,
): ProviderList {
  const verdicts = configuratorNames.map((name) =>
    classifyOnce(caches.configurators, name, `${iface}/configurators`, () => parseConfiguratorNode(name), warn),
  );
  prune(caches.configurators, configuratorNames);
  const rules = orderConfigurators(verdicts);
  const sortedNames = [...providerNames].sort();
  const providers: ProviderUrl[] = [];
  for (const name of sortedNames) {
    const verdict = classifyOnce(caches.providers, name, `${iface}/providers`, () => classifyProviderNode(name, iface), warn);
    if (verdict.kind !== 'provider' || verdict.url.params['enabled'] === 'false') {
      continue;
    }
    const params = applyConfigurators(verdict.url, rules, consumer);
    if (isDisabled(params)) {
      continue;
    }
    providers.push(toProviderUrl(verdict.url, verdict.raw, params));
  }
  prune(caches.providers, sortedNames);
  return { providers, rules: rules.map((r) => r.raw).join('\n') };
}

/** The cached verdict of a node name, else `classify()`'s, cached, with one warning if malformed. */
export function classifyOnce<V extends { kind: string; reason?: string }>(
  cache: Map<string, V>,
  name: string,
  where: string,
  classify: () => V,
  warn: (message: string) => void,
): V {
  let verdict = cache.get(name);
  if (verdict === undefined) {
    verdict = classify();
    cache.set(name, verdict);
    if (verdict.kind === 'malformed') {
      warn(`skipping malformed node under ${where}: ${verdict.reason ?? ''} (node '${name}')`);
    }
  }
  return verdict;
}

/** Drops the cache entries of names no longer in `current`. */
export function prune<V>(cache: Map<string, V>, current: readonly string[]): void {
  if (cache.size <= current.length) {
    return;
  }
  const keep = new Set(current);
  for (const name of cache.keys()) {
    if (!keep.has(name)) {
      cache.delete(name);
    }
  }
}
