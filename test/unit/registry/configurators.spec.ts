import { describe, expect, it } from '@jest/globals';
import {
  applyConfigurators,
  type ConsumerIdentity,
  orderConfigurators,
  parseConfiguratorNode,
} from '../../../lib/registry/configurators.js';
import { encodeNodeName, parseUrl } from '../../../lib/registry/provider-url.js';

const consumer: ConsumerIdentity = { host: '10.9.9.9', application: 'my-app' };
const providerA = parseUrl('dubbo://10.0.0.1:20880/a.S?interface=a.S&weight=100&timeout=1000&application=prov');
const providerB = parseUrl('dubbo://10.0.0.2:20880/a.S?interface=a.S&weight=100&timeout=1000&application=prov');

function rules(...urls: string[]) {
  return orderConfigurators(urls.map((u) => parseConfiguratorNode(encodeNodeName(u))));
}

describe('configurators', () => {
  it('applies a 0.0.0.0 override to every provider', () => {
    const r = rules('override://0.0.0.0/a.S?category=configurators&dynamic=false&timeout=5000&retries=0&loadbalance=roundrobin');
    expect(applyConfigurators(providerA, r, consumer)).toMatchObject({ timeout: '5000', retries: '0', loadbalance: 'roundrobin' });
    expect(applyConfigurators(providerB, r, consumer)).toMatchObject({ timeout: '5000' });
  });

  it('applies a host:port override to that provider only', () => {
    const r = rules('override://10.0.0.2:20880/a.S?category=configurators&weight=300');
    expect(applyConfigurators(providerA, r, consumer)['weight']).toBe('100');
    expect(applyConfigurators(providerB, r, consumer)['weight']).toBe('300');
  });

  it('applies a rule naming this consumer host (no port) to every provider, and ignores other consumers', () => {
    expect(applyConfigurators(providerA, rules('override://10.9.9.9/a.S?timeout=7'), consumer)['timeout']).toBe('7');
    expect(applyConfigurators(providerA, rules('override://10.9.9.8/a.S?timeout=7'), consumer)['timeout']).toBe('1000');
  });

  it('disables a provider with disabled=true', () => {
    const r = rules('override://10.0.0.1:20880/a.S?category=configurators&disabled=true');
    expect(applyConfigurators(providerA, r, consumer)['disabled']).toBe('true');
    expect(applyConfigurators(providerB, r, consumer)['disabled']).toBeUndefined();
  });

  it('honours conditions: application, side, ~key and providerAddresses', () => {
    expect(applyConfigurators(providerA, rules('override://0.0.0.0/a.S?application=my-app&timeout=1'), consumer)['timeout']).toBe('1');
    expect(applyConfigurators(providerA, rules('override://0.0.0.0/a.S?application=other&timeout=1'), consumer)['timeout']).toBe('1000');
    expect(applyConfigurators(providerA, rules('override://0.0.0.0/a.S?side=provider&timeout=1'), consumer)['timeout']).toBe('1000');
    expect(applyConfigurators(providerA, rules('override://0.0.0.0/a.S?~application=prov&timeout=1'), consumer)['timeout']).toBe('1');
    expect(applyConfigurators(providerA, rules('override://0.0.0.0/a.S?~application=x&timeout=1'), consumer)['timeout']).toBe('1000');
    const byAddress = rules('override://0.0.0.0/a.S?providerAddresses=10.0.0.2:20880&weight=1');
    expect(applyConfigurators(providerA, byAddress, consumer)['weight']).toBe('100');
    expect(applyConfigurators(providerB, byAddress, consumer)['weight']).toBe('1');
  });

  it('never copies condition keys onto the provider', () => {
    const params = applyConfigurators(
      providerA,
      rules('override://0.0.0.0/a.S?category=configurators&dynamic=false&enabled=true&anyhost=true&weight=5'),
      consumer,
    );
    expect(params).toEqual({ ...providerA.params, weight: '5' });
  });

  it('ignores disabled rules, rules that set nothing, and other protocols; empty:// clears all', () => {
    expect(rules('override://0.0.0.0/a.S?enabled=false&weight=1')).toEqual([]);
    expect(rules('override://0.0.0.0/a.S?anyhost=true&category=configurators')).toEqual([]);
    expect(rules('condition://0.0.0.0/a.S?rule=x')).toEqual([]);
    expect(rules('override://0.0.0.0/a.S?weight=1', 'empty://0.0.0.0/a.S?category=configurators')).toEqual([]);
  });

  it('absent:// only fills missing keys', () => {
    const r = rules('absent://0.0.0.0/a.S?timeout=9&retries=4');
    expect(applyConfigurators(providerA, r, consumer)).toMatchObject({ timeout: '1000', retries: '4' });
  });

  it('applies specific hosts after 0.0.0.0, and higher priority last', () => {
    const r = rules(
      'override://10.0.0.1:20880/a.S?weight=1',
      'override://0.0.0.0/a.S?weight=2',
      'override://0.0.0.0/a.S?weight=3&priority=5',
    );
    expect(r.map((x) => x.values['weight'])).toEqual(['2', '3', '1']);
    expect(applyConfigurators(providerA, r, consumer)['weight']).toBe('1');
    expect(applyConfigurators(providerB, r, consumer)['weight']).toBe('3');
  });

  it('reports an undecodable node as malformed', () => {
    expect(parseConfiguratorNode('%ZZ').kind).toBe('malformed');
    expect(parseConfiguratorNode(encodeNodeName('override:///a.S?weight=1')).kind).toBe('malformed');
  });
});
