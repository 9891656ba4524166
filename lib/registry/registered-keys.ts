import { type ProviderNodeVerdict } from './provider-url.js';
import { matchesKey, normalizeGroup, normalizeVersion, type ServiceKey } from './service-key.js';

/**
 * What is registered for an interface, as words for a NoProviderError about `wanted`: "registered:
 * 1.0.0, 2.0.0 (group a)", "registered only as tri:// providers, not dubbo://", or undefined when
 * nothing is. Works from node names already read; makes no request.
 */
export function describeRegistered(verdicts: readonly ProviderNodeVerdict[], wanted: ServiceKey): string | undefined {
  const keys = new Set<string>();
  const otherProtocols = new Set<string>();
  let disabled = false;
  for (const v of verdicts) {
    if (v.kind === 'provider') {
      const version = normalizeVersion(v.url.params['version']);
      const group = normalizeGroup(v.url.params['group']);
      disabled ||= matchesKey(wanted, group, version);
      keys.add(`${version === '' ? 'no version' : version}${group === '' ? '' : ` (group ${group})`}`);
    } else if (v.kind === 'ignored' && v.reason.startsWith('protocol ')) {
      otherProtocols.add(v.reason.slice('protocol '.length));
    }
  }
  if (keys.size > 0) {
    return `registered: ${[...keys].sort().join(', ')}${disabled ? ' (the matching providers are disabled)' : ''}`;
  }
  if (otherProtocols.size > 0) {
    return `registered only as ${[...otherProtocols]
      .sort()
      .map((p) => `${p}://`)
      .join(', ')} providers, not dubbo://`;
  }
  return undefined;
}
