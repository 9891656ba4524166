import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DubboConfigError, DubboGenericModule, GenericClient, ProtocolError, SerializationError } from 'nestjs-dubbo-generic';
import { fixtureEnv } from '../../tools/dubbo-env/fixture-env.js';
import { RecordingProxy } from '../helpers/recording-proxy.js';

/**
 * A gateway forwarding hostile JSON to the real Dubbo 3.3 provider, which exports GreetingService
 * four times (1.0.0, 2.0.0, group a, group b) beside EchoService: no reserved attachment, separator
 * or ill-typed value reaches another export, or the provider at all.
 */

const env = fixtureEnv();
const GREETING = 'org.apache.dubbo.test.GreetingService';
const ECHO = 'org.apache.dubbo.test.EchoService';
const TYPES = 'org.apache.dubbo.test.TypesService';

let app: INestApplication;
let client: GenericClient;
let proxy: RecordingProxy;

beforeAll(async () => {
  proxy = await RecordingProxy.start(env.provider3);
  const moduleRef = await Test.createTestingModule({
    imports: [
      DubboGenericModule.forRoot({ application: 'boundary-gateway', registry: { direct: [`dubbo://${proxy.address}`] }, logger: false }),
    ],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  client = app.get(GenericClient);
});

afterAll(async () => {
  await app.close();
  await proxy.close();
});

const greet = (extra: Record<string, unknown>): Promise<unknown> =>
  client.invoke({
    service: GREETING,
    version: '1.0.0',
    method: 'greet',
    parameterTypes: ['java.lang.String'],
    args: ['ada'],
    ...extra,
  } as never);

async function refused(call: Promise<unknown>): Promise<DubboConfigError | SerializationError> {
  const err = await call.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (e: unknown) => e,
  );
  expect([DubboConfigError, SerializationError].some((c) => err instanceof c)).toBe(true);
  return err as DubboConfigError;
}

describe('the call boundary against the real Dubbo 3.3 provider', () => {
  it('serves the requested export', async () => {
    await expect(greet({})).resolves.toBe('v1:hello ada');
    await expect(greet({ version: '2.0.0' })).resolves.toBe('v2:hello ada');
    await expect(greet({ group: 'a' })).resolves.toBe('a:hello ada');
  });

  it.each([
    [{ attachments: { version: '2.0.0' } }, 'attachments.version'],
    [{ attachments: { group: 'a' } }, 'attachments.group'],
    [{ attachments: { path: ECHO } }, 'attachments.path'],
    [{ attachments: { interface: ECHO } }, 'attachments.interface'],
    [{ attachments: { Version: '2.0.0' } }, 'attachments.Version'],
    [{ attachments: { generic: 'nativejava' } }, 'attachments.generic'],
    [{ attachments: { token: 'guess' } }, 'attachments.token'],
    [{ attachments: { timeout: '1' } }, 'attachments.timeout'],
    [{ version: '1.0.0/evil' }, 'version'],
    [{ version: '2.0.0:x' }, 'version'],
    [{ group: 'a/b' }, 'group'],
    [{ service: `${GREETING}:2.0.0` }, 'service'],
    [{ service: `a/${GREETING}` }, 'service'],
  ])('refuses %p before anything is sent (%s)', async (extra, key) => {
    proxy.clear();
    const err = await refused(greet(extra));
    expect(err).toBeInstanceOf(DubboConfigError);
    expect((err as DubboConfigError).key).toBe(key);
    expect(err.code).toBe('CONFIG_INVALID');
    // Nothing reached the provider, and the next honest call still lands on 1.0.0.
    await expect(greet({})).resolves.toBe('v1:hello ada');
    expect(proxy.frames.filter((f) => f.direction === 'request')).toHaveLength(1);
  });

  it('refuses values that do not fit the declared Java type, naming the argument', async () => {
    proxy.clear();
    const err = await refused(
      client.invoke({ service: TYPES, version: '1.0.0', method: 'echoInt', parameterTypes: ['int'], args: [2 ** 40] }),
    );
    expect(err).toBeInstanceOf(SerializationError);
    expect(err.message).toBe(
      `Cannot send ${TYPES}.echoInt: args[0]: 1099511627776 does not fit in a Java int (-2147483648 to 2147483647); nothing was sent`,
    );
    expect(err.context).toMatchObject({ path: 'args[0]', javaType: 'int', reason: 'invalid-argument' });
    expect(proxy.frames.filter((f) => f.direction === 'request')).toHaveLength(0);
    // What fits arrives exactly, as the declared width.
    await expect(
      client.invoke({ service: TYPES, version: '1.0.0', method: 'echoInt', parameterTypes: ['int'], args: ['2147483647'] }),
    ).resolves.toBe(2147483647);
    await expect(
      client.invoke({ service: TYPES, version: '1.0.0', method: 'echoLong', parameterTypes: ['long'], args: ['9223372036854775807'] }),
    ).resolves.toBe(9223372036854775807n);
  });

  it('refuses a request over the payload limit without sending it, and keeps serving', async () => {
    proxy.clear();
    const err = await refused(
      client.invoke({
        service: ECHO,
        version: '1.0.0',
        method: 'echo',
        parameterTypes: ['java.lang.String'],
        args: ['x'.repeat(9 * 1024 * 1024)],
      }),
    );
    expect(err.context).toMatchObject({ reason: 'payload-limit', maxPayloadBytes: 8 * 1024 * 1024 });
    await expect(
      client.invoke({ service: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: ['ok'] }),
    ).resolves.toBe('ok');
    expect(proxy.frames.filter((f) => f.direction === 'request')).toHaveLength(1);
  });
});

describe('a reply over the payload limit, from the real provider', () => {
  let small: INestApplication;

  afterAll(async () => {
    await small.close();
  });

  it('fails its call at once with ProtocolError naming the limit; the next call is served', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        DubboGenericModule.forRoot({
          application: 'small-gateway',
          registry: { direct: [`dubbo://${env.provider3}`] },
          maxPayloadBytes: 4096,
          logger: false,
        }),
      ],
    }).compile();
    small = moduleRef.createNestApplication({ logger: false });
    await small.init();
    const c = small.get(GenericClient);
    const echo = (text: string): Promise<unknown> =>
      c.invoke({
        service: ECHO,
        version: '1.0.0',
        method: 'echo',
        parameterTypes: ['java.lang.String'],
        args: [text],
        timeoutMs: 10_000,
        retries: 0,
      });
    await expect(echo('warm')).resolves.toBe('warm');
    // The echoed Order comes back with a class name per item: under the limit out, over it back.
    const order = { id: 'o-1', items: Array.from({ length: 90 }, (_, i) => ({ sku: `s${i}`, qty: i, price: '1.5' })), meta: {} };
    const started = performance.now();
    const err = await c
      .invoke({
        service: TYPES,
        version: '1.0.0',
        method: 'echoNested',
        parameterTypes: ['org.apache.dubbo.test.Order'],
        args: [order],
        timeoutMs: 10_000,
        retries: 0,
      })
      .catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).context).toMatchObject({
      reason: 'payload-limit',
      maxPayloadBytes: 4096,
      service: TYPES,
      method: 'echoNested',
    });
    expect((err as ProtocolError).message).toMatch(
      /announces a body of \d+ bytes, over the payload limit of 4096 bytes \(maxPayloadBytes\)/,
    );
    // Not the 10 s deadline: the header alone decides.
    expect(elapsed).toBeLessThan(1000);
    await expect(echo('after')).resolves.toBe('after');
  });
});
