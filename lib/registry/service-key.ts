/** Which service: the (interface, version, group) triple, Dubbo's matching rules on it, and its one string form. */

/**
 * Which service a consumer wants: the same triple Dubbo keys references by.
 * @publicApi
 */
export interface ServiceKey {
  interface: string;
  /** '' / '0.0.0' / undefined = no version; '*' = any. */
  version?: string;
  /** undefined / '' = the default group; '*' = any; 'a,b' = any of them. */
  group?: string;
}

export const ANY_VALUE = '*';

/** Versions '', '0.0.0' and absent are the same "no version". */
export function normalizeVersion(version: string | undefined): string {
  return version === undefined || version === '0.0.0' ? '' : version.trim();
}

export function normalizeGroup(group: string | undefined): string {
  return group === undefined ? '' : group.trim();
}

/** Dubbo's UrlUtils.isMatch for the parts a generic consumer uses: group and version (interface is the path). */
export function matchesKey(key: ServiceKey, providerGroup: string, providerVersion: string): boolean {
  const wantVersion = normalizeVersion(key.version);
  if (wantVersion !== ANY_VALUE && wantVersion !== normalizeVersion(providerVersion)) {
    return false;
  }
  const wantGroup = normalizeGroup(key.group);
  if (wantGroup === ANY_VALUE) {
    return true;
  }
  const group = normalizeGroup(providerGroup);
  if (wantGroup === group) {
    return true;
  }
  return wantGroup.includes(',') && wantGroup.split(',').some((g) => g.trim() === group && group !== '');
}

/**
 * `group/interface:version`, Dubbo's key of a reference (empty parts left out, '0.0.0' is no
 * version). A lookup key only: it is never split back into its parts, which the invocation rules
 * keep free of '/' and ':'.
 */
export function serviceKey(key: ServiceKey): string {
  const group = normalizeGroup(key.group);
  const version = normalizeVersion(key.version);
  return `${group ? `${group}/` : ''}${key.interface}${version ? `:${version}` : ''}`;
}
