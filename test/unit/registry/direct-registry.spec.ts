import { describe, expect, it } from '@jest/globals';
import { DubboConfigError, RegistryError } from '../../../lib/errors/index.js';
import { DirectRegistry } from '../../../lib/registry/direct-registry.js';
import { type ProviderUrl } from '../../../lib/registry/provider-url.js';

describe('DirectRegistry', () => {
  it('serves the fixed providers for any service, as providers of the asked group and version', async () => {
    const registry = new DirectRegistry(['dubbo://127.0.0.1:20880', 'dubbo://127.0.0.2:20881/?weight=5&token=t']);
    await registry.connect();
    let got: readonly ProviderUrl[] = [];
    const unsubscribe = await registry.subscribe({ interface: 'a.S', version: '1.0.0', group: 'g' }, (l) => (got = l));
    expect(got.map((p) => [p.address, p.interface, p.path, p.version, p.group, p.weight, p.token])).toEqual([
      ['127.0.0.1:20880', 'a.S', 'a.S', '1.0.0', 'g', 100, undefined],
      ['127.0.0.2:20881', 'a.S', 'a.S', '1.0.0', 'g', 5, 't'],
    ]);
    expect(registry.stats()).toMatchObject({ status: 'connected', listeners: 1, clientsCreated: 0 });
    unsubscribe();
    await registry.register({ interface: 'a.S' });
    await registry.close();
    expect(registry.status).toBe('closed');
    await expect(registry.subscribe({ interface: 'a.S' }, () => undefined)).rejects.toBeInstanceOf(RegistryError);
  });

  it.each([[[]], [['tri://127.0.0.1:1']], [['dubbo://127.0.0.1']], [['nonsense']]])('rejects %j with DubboConfigError', (urls) => {
    expect(() => new DirectRegistry(urls)).toThrow(DubboConfigError);
  });
});
