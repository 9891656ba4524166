import { describe, expect, it } from '@jest/globals';
import { DubboConfigError } from '../../../lib/errors/index.js';
import { resolveOptions } from '../../../lib/options/resolve-options.js';

const base = { application: 'gateway', registry: { address: '127.0.0.1:2181' } };

function configError(raw: unknown): DubboConfigError {
  try {
    resolveOptions(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(DubboConfigError);
    return err as DubboConfigError;
  }
  throw new Error('expected DubboConfigError');
}

describe('resolveOptions', () => {
  it('applies every default once and freezes the result', () => {
    const r = resolveOptions(base);
    expect(r.defaults).toEqual({ timeoutMs: 3000, retries: 2, cluster: 'failover', loadbalance: 'random' });
    expect(r.registry).toEqual({
      kind: 'zookeeper',
      address: '127.0.0.1:2181',
      rootPath: '/dubbo',
      sessionTimeoutMs: 60000,
      connectTimeoutMs: 10000,
      requestTimeoutMs: 10000,
      auth: undefined,
      register: true,
    });
    expect(r).toMatchObject({
      onRegistryUnavailable: 'fail',
      shutdownTimeoutMs: 10000,
      referenceIdleMs: 0,
      maxPayloadBytes: 8388608,
      connections: 1,
    });
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.defaults)).toBe(true);
    expect(Object.isFrozen(r.registry)).toBe(true);
  });

  it('lets references inherit and override call defaults', () => {
    const r = resolveOptions({
      ...base,
      defaults: { timeoutMs: 1000, retries: 1 },
      references: [{ service: 'com.acme.UserService', version: '1.0.0', retries: 0, check: true }],
    });
    expect(r.references).toEqual([
      {
        service: 'com.acme.UserService',
        version: '1.0.0',
        group: '',
        check: true,
        timeoutMs: 1000,
        retries: 0,
        cluster: 'failover',
        loadbalance: 'random',
      },
    ]);
  });

  it('accepts a direct provider list instead of ZooKeeper', () => {
    expect(resolveOptions({ application: 'a', registry: { direct: ['dubbo://127.0.0.1:20880'] } }).registry).toEqual({
      kind: 'direct',
      urls: ['dubbo://127.0.0.1:20880'],
    });
  });

  it.each([
    [undefined, 'options'],
    [{ registry: base.registry }, 'application'],
    [{ ...base, application: 'has space' }, 'application'],
    [{ application: 'a' }, 'registry'],
    [{ application: 'a', registry: { address: 'nohostport' } }, 'registry.address'],
    [{ application: 'a', registry: { address: '127.0.0.1:2181,bad' } }, 'registry.address'],
    [{ application: 'a', registry: { address: '127.0.0.1:2181', rootPath: 'dubbo' } }, 'registry.rootPath'],
    [{ application: 'a', registry: { address: '127.0.0.1:2181', auth: 'nocolon' } }, 'registry.auth'],
    [{ application: 'a', registry: { address: '127.0.0.1:2181', sessionTimeoutMs: 10 } }, 'registry.sessionTimeoutMs'],
    [{ application: 'a', registry: { direct: [] } }, 'registry.direct'],
    [{ application: 'a', registry: { direct: ['http://x:1'] } }, 'registry.direct[0]'],
    [{ application: 'a', registry: { direct: ['dubbo://h:1'], address: 'h:2' } }, 'registry'],
    [{ ...base, defaults: { timeoutMs: -1 } }, 'defaults.timeoutMs'],
    [{ ...base, defaults: { timeoutMs: 1.5 } }, 'defaults.timeoutMs'],
    [{ ...base, defaults: { cluster: 'forking' } }, 'defaults.cluster'],
    [{ ...base, defaults: { loadbalance: 'fastest' } }, 'defaults.loadbalance'],
    [{ ...base, references: [{ service: 'not a name' }] }, 'references[0].service'],
    [{ ...base, references: [{ service: 'a.B', check: 'yes' }] }, 'references[0].check'],
    [{ ...base, references: [{ service: 'a.B', retries: -1 }] }, 'references[0].retries'],
    [{ ...base, onRegistryUnavailable: 'ignore' }, 'onRegistryUnavailable'],
    [{ ...base, connections: 0 }, 'connections'],
    [{ ...base, logger: 'console' }, 'logger'],
  ])('rejects %j naming the key %s', (raw, key) => {
    const err = configError(raw);
    expect(err.key).toBe(key);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(key);
  });

  it('names the accepted values in the message', () => {
    expect(configError({ ...base, defaults: { cluster: 'forking' } }).message).toBe(
      "Invalid option 'defaults.cluster': must be one of 'failover', 'failfast', 'failsafe', got \"forking\"",
    );
  });

  it('refuses consistenthash by name, at module and reference level, rather than balancing at random', () => {
    expect(configError({ ...base, defaults: { loadbalance: 'consistenthash' } }).message).toBe(
      "Invalid option 'defaults.loadbalance': 'consistenthash' is not supported yet: the same arguments would not stick to the same provider; choose one of 'random', 'roundrobin', 'leastactive', 'shortestresponse'",
    );
    expect(configError({ ...base, references: [{ service: 'a.B', loadbalance: 'consistenthash' }] }).key).toBe('references[0].loadbalance');
    // Names inherited from Object.prototype are plain unknown values, not entries of the refusal table.
    expect(configError({ ...base, defaults: { loadbalance: 'constructor' } }).message).toBe(
      "Invalid option 'defaults.loadbalance': must be one of 'random', 'roundrobin', 'leastactive', 'shortestresponse', got \"constructor\"",
    );
  });
});

describe('resolveOptions: typos and impossible values', () => {
  it.each([
    [{ ...base, defaults: { timeout: 100 } }, 'defaults.timeout', /did you mean 'timeoutMs'\?/],
    [{ ...base, shutdownTimeout: 1 }, 'shutdownTimeout', /did you mean 'shutdownTimeoutMs'\?/],
    [
      { ...base, registry: { address: '127.0.0.1:2181', sessionTimeout: 1 } },
      'registry.sessionTimeout',
      /did you mean 'sessionTimeoutMs'\?/,
    ],
    [{ ...base, references: [{ service: 'com.acme.S', verison: '1.0.0' }] }, 'references[0].verison', /did you mean 'version'\?/],
    [{ ...base, registry: { direct: ['dubbo://127.0.0.1:20880'], address: undefined } }, 'registry', /either 'address'/],
    [{ ...base, registry: { direct: ['dubbo://127.0.0.1:20880'], rootPath: '/x' } }, 'registry.rootPath', /is not a known option/],
  ])('refuses an unknown key (%#)', (raw, key, message) => {
    const err = configError(raw);
    expect(err.key).toBe(key);
    expect(err.message).toMatch(message);
  });

  it.each(['127.0.0.1:99999', '127.0.0.1:0', '127.0.0.1:65536', 'a:2181,b:0'])(
    'refuses the ZooKeeper address %s (port out of range)',
    (address) => {
      const err = configError({ ...base, registry: { address } });
      expect(err.key).toBe('registry.address');
      expect(err.message).toMatch(/is not a TCP port \(1 to 65535\)/);
    },
  );

  it('accepts the port range ends', () => {
    expect(resolveOptions({ ...base, registry: { address: '127.0.0.1:1,127.0.0.1:65535' } }).registry).toMatchObject({
      address: '127.0.0.1:1,127.0.0.1:65535',
    });
  });

  it.each(['dubbo://127.0.0.1:0', 'dubbo://127.0.0.1:70000', 'dubbo://127.0.0.1:99999/x'])('refuses the direct URL %s', (url) => {
    expect(configError({ ...base, registry: { direct: [url] } }).key).toBe('registry.direct[0]');
  });

  it.each([
    [{ version: '1.0.0/evil' }, 'references[0].version'],
    [{ group: 'a:b' }, 'references[0].group'],
    [{ service: 'com.acme.S:1' }, 'references[0].service'],
  ])('checks declared references with the invocation rules (%p)', (patch, key) => {
    expect(configError({ ...base, references: [{ service: 'com.acme.S', ...patch }] }).key).toBe(key);
  });
});
