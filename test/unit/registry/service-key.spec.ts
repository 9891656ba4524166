import { describe, expect, it } from '@jest/globals';
import { matchesKey, serviceKey } from '../../../lib/registry/service-key.js';

const IFACE = 'org.apache.dubbo.demo.DemoService';

describe("Dubbo's group/version matching", () => {
  it.each([
    [{ interface: IFACE }, '', '', true],
    [{ interface: IFACE, version: '' }, '', '0.0.0', true],
    [{ interface: IFACE, version: '0.0.0' }, '', '', true],
    [{ interface: IFACE, version: '1.0.0' }, '', '1.0.0', true],
    [{ interface: IFACE, version: '1.0.0' }, '', '2.0.0', false],
    [{ interface: IFACE }, '', '1.0.0', false],
    [{ interface: IFACE, version: '*' }, '', '2.0.0', true],
    [{ interface: IFACE, version: '1.0.0' }, 'a', '1.0.0', false],
    [{ interface: IFACE, version: '1.0.0', group: 'a' }, 'a', '1.0.0', true],
    [{ interface: IFACE, version: '1.0.0', group: 'a' }, '', '1.0.0', false],
    [{ interface: IFACE, version: '1.0.0', group: '*' }, 'b', '1.0.0', true],
    [{ interface: IFACE, version: '1.0.0', group: '*' }, '', '1.0.0', true],
    [{ interface: IFACE, version: '1.0.0', group: 'a,b' }, 'b', '1.0.0', true],
    [{ interface: IFACE, version: '1.0.0', group: 'a, b' }, 'b', '1.0.0', true],
    [{ interface: IFACE, version: '1.0.0', group: 'a,b' }, 'c', '1.0.0', false],
    [{ interface: IFACE, version: '1.0.0', group: 'a,b' }, '', '1.0.0', false],
  ])('key %j vs provider group %j version %j → %s', (key, group, version, expected) => {
    expect(matchesKey(key, group, version)).toBe(expected);
  });

  it('builds the group/interface:version key with empty parts left out', () => {
    expect(serviceKey({ interface: 'a.B', version: '1.0.0', group: 'g' })).toBe('g/a.B:1.0.0');
    expect(serviceKey({ interface: 'a.B', version: '1.0.0' })).toBe('a.B:1.0.0');
    expect(serviceKey({ interface: 'a.B', version: '', group: 'g' })).toBe('g/a.B');
    expect(serviceKey({ interface: 'a.B', version: '0.0.0' })).toBe('a.B');
    expect(serviceKey({ interface: 'a.B' })).toBe('a.B');
  });
});
