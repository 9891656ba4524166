import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixtureEnv } from '../../tools/dubbo-env/fixture-env.js';
import { fourLetterWord } from '../../tools/dubbo-env/ports.js';
import { javaGenericBatch, javaGenericCall } from '../../tools/dubbo-env/java-consumer.js';
import { ZkInspector } from '../helpers/zk-inspect.js';

// Proves the shared environment: real ZooKeeper, a Dubbo 3.3 and a Dubbo 2.7 provider, and Dubbo's own
// Java generic consumer reaching each service through ZooKeeper.
const env = fixtureEnv();
let zk: ZkInspector;

beforeAll(async () => {
  zk = await ZkInspector.connect(env.zk);
});
afterAll(() => zk.close());

const port3 = Number(env.provider3.split(':')[1]);
const port27 = Number(env.provider27.split(':')[1]);

describe('ZooKeeper', () => {
  it('answers mntr with zk_watch_count', async () => {
    const mntr = await fourLetterWord('127.0.0.1', env.zkPort, 'mntr');
    expect(mntr).toMatch(/zk_watch_count\t\d+/);
    expect(mntr).toMatch(/zk_version\t3\.9\.5/);
  });
});

describe('Dubbo 3.3 provider registration', () => {
  it.each([
    ['org.apache.dubbo.test.EchoService', { version: '1.0.0' }],
    ['org.apache.dubbo.test.TypesService', { version: '1.0.0' }],
    ['org.apache.dubbo.test.UserService', { version: '1.0.0' }],
    ['org.apache.dubbo.test.FailService', { version: '1.0.0' }],
  ])('registers %s under /dubbo/<interface>/providers with the expected parameters', async (iface, expected) => {
    const url = await zk.waitForUrl(iface, 'providers', (u) => u.port === port3);
    expect(url.protocol).toBe('dubbo');
    expect(url.host).toBe('127.0.0.1');
    expect(url.path).toBe(iface);
    expect(url.params['interface']).toBe(iface);
    expect(url.params['version']).toBe(expected.version);
    expect(url.params['side']).toBe('provider');
    expect(url.params['release']).toBe('3.3.6');
    expect(url.params['dubbo']).toBe('2.0.2');
  });

  it('registers GreetingService four times: versions 1.0.0 and 2.0.0, groups a and b', async () => {
    const iface = 'org.apache.dubbo.test.GreetingService';
    await zk.waitForUrl(iface, 'providers', (u) => u.port === port3 && u.params['group'] === 'b');
    const urls = (await zk.urls(iface, 'providers')).filter((u) => u.port === port3);
    const variants = urls.map((u) => `${u.params['group'] ?? ''}/${u.params['version']}`).sort();
    expect(variants).toEqual(['/1.0.0', '/2.0.0', 'a/1.0.0', 'b/1.0.0']);
  });
});

describe('Dubbo 2.7 provider registration', () => {
  it.each(['org.apache.dubbo.test.EchoService', 'org.apache.dubbo.test.TypesService'])(
    'registers %s with release 2.7.23',
    async (iface) => {
      const url = await zk.waitForUrl(iface, 'providers', (u) => u.port === port27);
      expect(url.protocol).toBe('dubbo');
      expect(url.params['release']).toBe('2.7.23');
      expect(url.params['version']).toBe('1.0.0');
    },
  );
});

describe("Dubbo's Java generic consumer through ZooKeeper", () => {
  it('calls EchoService.echo on both providers', async () => {
    for (const port of [port3, port27]) {
      const res = await javaGenericCall({
        url: `dubbo://127.0.0.1:${port}`,
        interface: 'org.apache.dubbo.test.EchoService',
        version: '1.0.0',
        method: 'echo',
        types: ['java.lang.String'],
        args: [`hello ${port}`],
      });
      expect(res).toEqual({ ok: true, result: `hello ${port}` });
    }
  });

  it('calls every service through the registry and gets the expected answers', async () => {
    const calls = [
      { interface: 'org.apache.dubbo.test.EchoService', method: 'echo', types: ['java.lang.String'], args: ['hi'], want: 'hi' },
      { interface: 'org.apache.dubbo.test.TypesService', method: 'echoLong', types: ['long'], args: [1234567890123], want: 1234567890123 },
      {
        interface: 'org.apache.dubbo.test.TypesService',
        method: 'echoEnum',
        types: ['org.apache.dubbo.test.Color'],
        args: ['GREEN'],
        want: 'GREEN',
      },
      {
        interface: 'org.apache.dubbo.test.TypesService',
        method: 'overloaded',
        types: ['int', 'java.lang.String'],
        args: [5, 'x'],
        want: 'int,String:5,x',
      },
      {
        interface: 'org.apache.dubbo.test.GreetingService',
        method: 'greet',
        types: ['java.lang.String'],
        args: ['bob'],
        want: 'v1:hello bob',
      },
      {
        interface: 'org.apache.dubbo.test.GreetingService',
        version: '2.0.0',
        method: 'greet',
        types: ['java.lang.String'],
        args: ['bob'],
        want: 'v2:hello bob',
      },
      {
        interface: 'org.apache.dubbo.test.GreetingService',
        group: 'a',
        method: 'greet',
        types: ['java.lang.String'],
        args: ['bob'],
        want: 'a:hello bob',
      },
      {
        interface: 'org.apache.dubbo.test.GreetingService',
        group: 'b',
        method: 'greet',
        types: ['java.lang.String'],
        args: ['bob'],
        want: 'b:hello bob',
      },
    ];
    const results = await javaGenericBatch(
      { zk: env.zk },
      calls.map(({ want: _want, ...c }) => ({ version: '1.0.0', ...c })),
    );
    expect(results.map((r, i) => ({ call: `${calls[i]!.interface}.${calls[i]!.method}`, r }))).toEqual(
      calls.map((c) => ({ call: `${c.interface}.${c.method}`, r: { ok: true, result: c.want } })),
    );
  });

  it('reports a business exception from FailService with its Java class', async () => {
    const res = await javaGenericCall({
      zk: env.zk,
      interface: 'org.apache.dubbo.test.FailService',
      version: '1.0.0',
      method: 'throwChecked',
      types: ['java.lang.String'],
      args: ['boom'],
    });
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.message).toContain('boom');
    }
  });
});
