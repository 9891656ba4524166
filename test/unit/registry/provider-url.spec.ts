import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  classifyProviderNode,
  decodeNodeName,
  encodeNodeName,
  formatUrl,
  MalformedUrlError,
  parseUrl,
  toProviderUrl,
} from '../../../lib/registry/provider-url.js';

const IFACE = 'org.apache.dubbo.demo.DemoService';
const PROVIDER =
  'dubbo://10.0.0.5:20880/org.apache.dubbo.demo.DemoService?application=demo-provider&deprecated=false&dubbo=2.0.2&dynamic=true&generic=false&group=g1&interface=org.apache.dubbo.demo.DemoService&methods=sayHello,sayHelloAsync&prefer.serialization=hessian2,fastjson2&release=3.3.1&side=provider&timeout=3000&timestamp=1729753690123&version=1.0.0&weight=200&token=secret';

describe('node names', () => {
  it('encodes like java.net.URLEncoder (space as +, *._- kept, the rest %XX upper-case)', () => {
    expect(encodeNodeName("a b*c._-~(x)!'é/:?=&,")).toBe('a+b*c._-%7E%28x%29%21%27%C3%A9%2F%3A%3F%3D%26%2C');
  });

  it('decodes + as a space and %XX as UTF-8', () => {
    expect(decodeNodeName('dubbo%3A%2F%2F1.2.3.4%3A1%2Fa%3Fk%3Dv+w%C3%A9')).toBe('dubbo://1.2.3.4:1/a?k=v wé');
  });

  it('round-trips any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => decodeNodeName(encodeNodeName(text)) === text));
  });

  it('rejects a name with a broken escape as malformed', () => {
    expect(() => decodeNodeName('dubbo%3A%2F%2Fx%ZZ')).toThrow(MalformedUrlError);
  });
});

describe('parseUrl / formatUrl', () => {
  it('splits a provider URL into protocol, host, port, path and raw parameter values', () => {
    const url = parseUrl(PROVIDER);
    expect(url).toMatchObject({ protocol: 'dubbo', host: '10.0.0.5', port: 20880, path: IFACE });
    expect(url.params['methods']).toBe('sayHello,sayHelloAsync');
    expect(url.params['prefer.serialization']).toBe('hessian2,fastjson2');
  });

  it('reads user info, IPv6 hosts, missing ports and empty parameters like Dubbo', () => {
    expect(parseUrl('zookeeper://u:p@h:2181?backup=h2:2181,h3:2181')).toMatchObject({
      username: 'u',
      password: 'p',
      host: 'h',
      port: 2181,
      path: '',
    });
    expect(parseUrl('dubbo://[::1]:20880/x')).toMatchObject({ host: '[::1]', port: 20880 });
    expect(parseUrl('override://0.0.0.0/x?a=&=b&c=1').params).toEqual({ c: '1' });
    expect(parseUrl('consumer://10.1.1.1/x').port).toBe(0);
  });

  it('rejects text that is not a URL', () => {
    expect(() => parseUrl('not a url')).toThrow(MalformedUrlError);
    expect(() => parseUrl('dubbo://h:99999/x')).toThrow(MalformedUrlError);
  });

  it('formats with parameters sorted by key, and parses its own output back', () => {
    const text = formatUrl({ protocol: 'consumer', host: '1.2.3.4', port: 0, path: 'a.B', params: { z: '1', a: '2', m: 'x,y' } });
    expect(text).toBe('consumer://1.2.3.4/a.B?a=2&m=x,y&z=1');
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z][a-z.]{0,8}$/), fc.stringMatching(/^[A-Za-z0-9.,:_-]{1,10}$/)),
        fc.integer({ min: 1, max: 65535 }),
        (params, port) => {
          const url = { protocol: 'dubbo', host: '127.0.0.1', port, path: 'p.Q', params };
          return formatUrl(parseUrl(formatUrl(url))) === formatUrl(url);
        },
      ),
    );
  });
});

describe('classifyProviderNode', () => {
  it('keeps a dubbo provider of the interface', () => {
    const verdict = classifyProviderNode(encodeNodeName(PROVIDER), IFACE);
    expect(verdict.kind).toBe('provider');
  });

  it.each([
    ['tri://10.0.0.5:50051/org.apache.dubbo.demo.DemoService?interface=org.apache.dubbo.demo.DemoService', 'protocol tri'],
    ['empty://10.0.0.5/org.apache.dubbo.demo.DemoService?category=providers', 'protocol empty'],
    ['rest://10.0.0.5:80/org.apache.dubbo.demo.DemoService', 'protocol rest'],
    ['dubbo://10.0.0.5:20880/org.apache.dubbo.demo.DemoService?category=routers', 'category routers'],
    ['dubbo://10.0.0.5:20880/other.Service?interface=other.Service', 'interface other.Service'],
  ])('ignores %s (%s)', (raw, reason) => {
    expect(classifyProviderNode(encodeNodeName(raw), IFACE)).toEqual({ kind: 'ignored', reason, raw });
  });

  it.each(['%E0%A4%A', 'garbage', encodeNodeName('dubbo:///x'), encodeNodeName('dubbo://host/x'), encodeNodeName('dubbo://h:abc/x')])(
    'reports %s as malformed',
    (name) => {
      expect(classifyProviderNode(name, IFACE).kind).toBe('malformed');
    },
  );

  it('uses the path when a simplified registry omits the interface parameter', () => {
    expect(classifyProviderNode(encodeNodeName('dubbo://1.1.1.1:1/org.apache.dubbo.demo.DemoService?version=1'), IFACE).kind).toBe(
      'provider',
    );
  });
});

describe('toProviderUrl', () => {
  it('exposes the typed fields a consumer needs', () => {
    const url = parseUrl(PROVIDER);
    const p = toProviderUrl(url, PROVIDER);
    expect(p).toMatchObject({
      address: '10.0.0.5:20880',
      host: '10.0.0.5',
      port: 20880,
      path: IFACE,
      interface: IFACE,
      version: '1.0.0',
      group: 'g1',
      weight: 200,
      timestamp: 1729753690123,
      token: 'secret',
      timeout: 3000,
      retries: undefined,
      loadbalance: undefined,
      disabled: false,
      methods: ['sayHello', 'sayHelloAsync'],
      raw: PROVIDER,
    });
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('defaults weight to 100 and treats version 0.0.0 as none', () => {
    const p = toProviderUrl(parseUrl('dubbo://1.1.1.1:1/x?version=0.0.0&weight=abc'), 'raw');
    expect(p.weight).toBe(100);
    expect(p.version).toBe('');
    expect(p.group).toBe('');
  });

  it('marks disabled=true, or enabled=false without disabled, as disabled', () => {
    expect(toProviderUrl(parseUrl('dubbo://1.1.1.1:1/x?disabled=true'), '').disabled).toBe(true);
    expect(toProviderUrl(parseUrl('dubbo://1.1.1.1:1/x?enabled=false'), '').disabled).toBe(true);
    expect(toProviderUrl(parseUrl('dubbo://1.1.1.1:1/x?enabled=false&disabled=false'), '').disabled).toBe(false);
  });
});
