import { describe, expect, it } from '@jest/globals';
import { classifyProviderNode, encodeNodeName } from '../../../lib/registry/provider-url.js';
import { describeRegistered } from '../../../lib/registry/registered-keys.js';

const IFACE = 'org.acme.S';
const node = (url: string) => classifyProviderNode(encodeNodeName(url), IFACE);
const dubbo = (query: string) => node(`dubbo://127.0.0.1:20880/${IFACE}?interface=${IFACE}${query}`);

describe('describeRegistered', () => {
  it('lists the versions and groups registered, sorted and without repeats', () => {
    const verdicts = [dubbo('&version=2.0.0'), dubbo('&version=1.0.0&group=a'), dubbo('&version=2.0.0'), dubbo('')];
    expect(describeRegistered(verdicts, { interface: IFACE, version: '3.0.0', group: '' })).toBe(
      'registered: 1.0.0 (group a), 2.0.0, no version',
    );
  });

  it('says so when the wanted key is registered but filtered out (disabled)', () => {
    expect(describeRegistered([dubbo('&version=1.0.0&enabled=false')], { interface: IFACE, version: '1.0.0', group: '' })).toBe(
      'registered: 1.0.0 (the matching providers are disabled)',
    );
  });

  it('names other protocols when no dubbo:// provider is registered', () => {
    const tri = node(`tri://127.0.0.1:50051/${IFACE}?interface=${IFACE}&version=1.0.0`);
    expect(describeRegistered([tri], { interface: IFACE, version: '1.0.0', group: '' })).toBe(
      'registered only as tri:// providers, not dubbo://',
    );
  });

  it('has nothing to add for an empty listing', () => {
    expect(describeRegistered([], { interface: IFACE, version: '1.0.0', group: '' })).toBeUndefined();
  });
});
