import { describe, expect, it } from '@jest/globals';
import { type ConsumerIdentity } from '../../../lib/registry/configurators.js';
import { encodeNodeName } from '../../../lib/registry/provider-url.js';
import { classifyOnce, computeProviders, type NodeVerdicts, prune } from '../../../lib/registry/zookeeper/provider-list.js';

const IFACE = 'org.apache.dubbo.test.EchoService';
const consumer: ConsumerIdentity = { host: '10.9.9.9', application: 'unit-app' };

function provider(host: string, port: number, params = 'version=1.0.0'): string {
  return encodeNodeName(`dubbo://${host}:${port}/${IFACE}?interface=${IFACE}&side=provider&${params}`);
}

function rule(url: string): string {
  return encodeNodeName(url);
}

function caches(): NodeVerdicts {
  return { providers: new Map(), configurators: new Map() };
}

/** computeProviders with fresh (or given) caches and a recording warn callback. */
function compute(providerNames: string[], configuratorNames: string[] = [], verdicts = caches(), identity = consumer) {
  const warnings: string[] = [];
  const list = computeProviders(IFACE, providerNames, configuratorNames, verdicts, identity, (m) => warnings.push(m));
  return { list, warnings, verdicts };
}

describe('computeProviders', () => {
  it('returns nothing, and no rules, for empty listings', () => {
    const { list, warnings } = compute([], []);
    expect(list).toEqual({ providers: [], rules: '' });
    expect(warnings).toEqual([]);
  });

  it('builds each provider from its node name, in node-name order whatever the listing order', () => {
    const { list } = compute([
      provider('10.0.0.2', 20880),
      provider('10.0.0.1', 20881, 'version=2.0.0&weight=50&timeout=300&methods=echo,ping'),
    ]);
    expect(list.providers.map((p) => p.address)).toEqual(['10.0.0.1:20881', '10.0.0.2:20880']);
    expect(list.providers[0]).toEqual({
      address: '10.0.0.1:20881',
      host: '10.0.0.1',
      port: 20881,
      path: IFACE,
      interface: IFACE,
      version: '2.0.0',
      group: '',
      weight: 50,
      timestamp: 0,
      token: undefined,
      timeout: 300,
      retries: undefined,
      loadbalance: undefined,
      warmup: 600000,
      disabled: false,
      methods: ['echo', 'ping'],
      params: { interface: IFACE, side: 'provider', version: '2.0.0', weight: '50', timeout: '300', methods: 'echo,ping' },
      raw: `dubbo://10.0.0.1:20881/${IFACE}?interface=${IFACE}&side=provider&version=2.0.0&weight=50&timeout=300&methods=echo,ping`,
    });
  });

  it('leaves out providers registered with enabled=false, and silently ignores other protocols, categories and interfaces', () => {
    const { list, warnings } = compute([
      provider('10.0.0.1', 1),
      provider('10.0.0.1', 2, 'version=1.0.0&enabled=false'),
      encodeNodeName(`tri://10.0.0.1:3/${IFACE}?interface=${IFACE}`),
      provider('10.0.0.1', 4, 'version=1.0.0&category=consumers'),
      encodeNodeName('dubbo://10.0.0.1:5/other.Service?interface=other.Service'),
      encodeNodeName(`empty://0.0.0.0/${IFACE}?category=providers`),
    ]);
    expect(list.providers.map((p) => p.port)).toEqual([1]);
    expect(warnings).toEqual([]);
  });

  it('warns once per malformed node however often it is listed, and again only after it left and came back', () => {
    const broken = '%E0%A4%A';
    const hostless = encodeNodeName(`dubbo://:20880/${IFACE}`);
    const badRule = rule(`override:///${IFACE}?weight=1`);
    const verdicts = caches();
    const first = compute([provider('10.0.0.1', 1), broken, hostless], [badRule], verdicts);
    expect(first.list.providers.map((p) => p.port)).toEqual([1]);
    expect(first.warnings).toHaveLength(3);
    expect(first.warnings[0]).toBe(
      `skipping malformed node under ${IFACE}/configurators: rule without a host: 'override:///${IFACE}?weight=1' (node '${badRule}')`,
    );
    expect(first.warnings.slice(1).sort()).toEqual(
      [
        `skipping malformed node under ${IFACE}/providers: node name is not URL-encoded text: '${broken}' (node '${broken}')`,
        `skipping malformed node under ${IFACE}/providers: dubbo URL without host:port: 'dubbo://:20880/${IFACE}' (node '${hostless}')`,
      ].sort(),
    );
    expect(compute([provider('10.0.0.1', 1), broken, hostless], [badRule], verdicts).warnings).toEqual([]);
    // broken leaves the listing (pruned from the cache), then is listed again: one new warning
    expect(compute([provider('10.0.0.1', 1), hostless], [badRule], verdicts).warnings).toEqual([]);
    expect([...verdicts.providers.keys()].sort()).toEqual([provider('10.0.0.1', 1), hostless].sort());
    expect(compute([provider('10.0.0.1', 1), broken, hostless], [badRule], verdicts).warnings).toHaveLength(1);
  });

  it('keeps in the caches exactly the names of the current listings', () => {
    const verdicts = caches();
    const weigh = rule(`override://10.0.0.1:1/${IFACE}?weight=300`);
    compute([provider('10.0.0.1', 1), provider('10.0.0.1', 2)], [weigh], verdicts);
    expect(verdicts.providers.size).toBe(2);
    expect(verdicts.configurators.size).toBe(1);
    compute([provider('10.0.0.1', 2)], [], verdicts);
    expect([...verdicts.providers.keys()]).toEqual([provider('10.0.0.1', 2)]);
    expect(verdicts.configurators.size).toBe(0);
  });

  it('applies configurators per provider and reports the rules in the order Dubbo applies them', () => {
    const weighOne = rule(`override://10.0.0.2:2/${IFACE}?category=configurators&weight=300&priority=2`);
    const timeoutAll = rule(`override://0.0.0.0/${IFACE}?category=configurators&timeout=5000`);
    const retriesOne = rule(`override://10.0.0.2:2/${IFACE}?category=configurators&retries=0&priority=1`);
    const { list } = compute([provider('10.0.0.1', 1), provider('10.0.0.2', 2)], [weighOne, timeoutAll, retriesOne]);
    expect(list.providers.map((p) => [p.port, p.weight, p.timeout, p.retries])).toEqual([
      [1, 100, 5000, undefined],
      [2, 300, 5000, 0],
    ]);
    expect(list.rules).toBe(
      [
        `override://0.0.0.0/${IFACE}?category=configurators&timeout=5000`,
        `override://10.0.0.2:2/${IFACE}?category=configurators&retries=0&priority=1`,
        `override://10.0.0.2:2/${IFACE}?category=configurators&weight=300&priority=2`,
      ].join('\n'),
    );
  });

  it('takes out providers a rule disables, and puts them back when an empty:// entry clears the rules', () => {
    const disableAll = rule(`override://0.0.0.0/${IFACE}?category=configurators&disabled=true`);
    const disableOne = rule(`override://10.0.0.1:1/${IFACE}?category=configurators&disabled=true`);
    const names = [provider('10.0.0.1', 1), provider('10.0.0.2', 2)];
    expect(compute(names, [disableAll]).list.providers).toEqual([]);
    expect(compute(names, [disableOne]).list.providers.map((p) => p.port)).toEqual([2]);
    const cleared = compute(names, [disableAll, rule(`empty://0.0.0.0/${IFACE}?category=configurators`)]).list;
    expect(cleared.providers.map((p) => p.port)).toEqual([1, 2]);
    expect(cleared.rules).toBe('');
  });

  it('keeps a provider registered with enabled=false out even when a rule sets disabled=false on every provider', () => {
    const enableAll = rule(`override://0.0.0.0/${IFACE}?category=configurators&disabled=false`);
    const names = [provider('10.0.0.1', 1, 'version=1.0.0&enabled=false'), provider('10.0.0.2', 2, 'version=1.0.0&disabled=true')];
    expect(compute(names, []).list.providers).toEqual([]);
    // the rule re-enables the provider disabled by its own parameter, not the one that registered itself disabled
    expect(compute(names, [enableAll]).list.providers.map((p) => p.port)).toEqual([2]);
  });

  it('applies rules aimed at a consumer host or application only to that consumer', () => {
    const forHost = rule(`override://10.9.9.9/${IFACE}?category=configurators&timeout=7`);
    const forApp = rule(`override://0.0.0.0/${IFACE}?category=configurators&application=unit-app&retries=5`);
    const names = [provider('10.0.0.1', 1)];
    const mine = compute(names, [forHost, forApp]).list.providers[0];
    expect([mine?.timeout, mine?.retries]).toEqual([7, 5]);
    const other = compute(names, [forHost, forApp], caches(), { host: '10.9.9.8', application: 'other-app' }).list.providers[0];
    expect([other?.timeout, other?.retries]).toEqual([undefined, undefined]);
  });
});

describe('classifyOnce', () => {
  it('classifies a name once and serves the cached verdict afterwards', () => {
    const cache = new Map<string, { kind: string; reason?: string }>();
    let calls = 0;
    const warnings: string[] = [];
    const classify = () => {
      calls++;
      return { kind: 'malformed', reason: 'bad' };
    };
    const first = classifyOnce(cache, 'n', 'svc/providers', classify, (m) => warnings.push(m));
    const second = classifyOnce(cache, 'n', 'svc/providers', classify, (m) => warnings.push(m));
    expect(second).toBe(first);
    expect(calls).toBe(1);
    expect(warnings).toEqual(["skipping malformed node under svc/providers: bad (node 'n')"]);
  });

  it('does not warn about a well-formed node', () => {
    const warnings: string[] = [];
    expect(
      classifyOnce(
        new Map(),
        'n',
        'svc/providers',
        () => ({ kind: 'provider' }),
        (m) => warnings.push(m),
      ),
    ).toEqual({ kind: 'provider' });
    expect(warnings).toEqual([]);
  });
});

describe('prune', () => {
  it('drops the names no longer listed and keeps the others', () => {
    const cache = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    prune(cache, ['b', 'd']);
    expect([...cache.entries()]).toEqual([['b', 2]]);
  });

  it('leaves the cache alone when it holds no more names than the listing', () => {
    const cache = new Map([['a', 1]]);
    prune(cache, ['a', 'b']);
    expect([...cache.keys()]).toEqual(['a']);
  });
});
