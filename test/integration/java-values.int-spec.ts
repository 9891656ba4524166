import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RemoteServiceError } from '../../lib/errors/remote-service.error.js';
import { SerializationError } from '../../lib/errors/serialization.error.js';
import { resolveOptions } from '../../lib/options/resolve-options.js';
import { DubboConsumer } from '../../lib/consumer/dubbo-consumer.js';
import { DubboProvider, type ProviderFlavor } from '../../tools/dubbo-env/dubbo-provider.js';
import { fixtureEnv } from '../../tools/dubbo-env/fixture-env.js';

/**
 * java.sql dates, Instant, Duration and UUID as parameters, return values and POJO fields, on
 * Dubbo 3.3, 3.2 and 2.7 providers. Each value is checked on the Java side (the describe methods
 * return what Java received) as well as by the round trip.
 */

const env = fixtureEnv();
const FLAVORS: ProviderFlavor[] = ['dubbo3', 'dubbo32', 'dubbo27'];
const SERVICE = 'org.apache.dubbo.test.ValueTypesService';
const providers = new Map<ProviderFlavor, DubboProvider>();

beforeAll(async () => {
  await Promise.all(
    FLAVORS.map(async (flavor) => providers.set(flavor, await DubboProvider.start({ zk: env.zk, flavor, services: ['values'] }))),
  );
});
afterAll(async () => {
  await Promise.all([...providers.values()].map((p) => p.stop()));
});

const AT = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
const MS = AT.getTime();
const UUID = '123e4567-e89b-12d3-a456-426614174000';

describe.each(FLAVORS)('Java value types against the %s provider', (flavor) => {
  let consumer: DubboConsumer;
  const call = (method: string, type: string, arg: unknown): Promise<unknown> =>
    consumer.invoke({ service: SERVICE, version: '1.0.0', method, parameterTypes: [type], args: [arg] });

  beforeAll(async () => {
    consumer = new DubboConsumer(
      resolveOptions({ application: 'values', registry: { direct: [`dubbo://${providers.get(flavor)!.address}`] }, logger: false }),
    );
    await consumer.start();
  });
  afterAll(() => consumer.close());

  it.each([
    ['Timestamp', 'java.sql.Timestamp', AT, `java.sql.Timestamp|${MS}|678000000`],
    ['Timestamp', 'java.sql.Timestamp', MS, `java.sql.Timestamp|${MS}|678000000`],
    ['SqlDate', 'java.sql.Date', '2024-01-02T03:04:05.678Z', `java.sql.Date|${MS}`],
    ['SqlTime', 'java.sql.Time', AT, `java.sql.Time|${MS}`],
  ])('%s (%s) from %p: Java receives the class and instant, and a Date comes back', async (name, type, arg, described) => {
    await expect(call(`describe${name}`, type, arg)).resolves.toBe(described);
    const back = await call(`echo${name}`, type, arg);
    expect(back).toBeInstanceOf(Date);
    expect((back as Date).getTime()).toBe(MS);
  });

  it.each([
    ['2024-01-02T03:04:05.678901234Z', '2024-01-02T03:04:05.678901234Z'],
    ['2024-01-02T05:04:05.5+02:00', '2024-01-02T03:04:05.500Z'],
    [AT, '2024-01-02T03:04:05.678Z'],
    [0, '1970-01-01T00:00:00Z'],
  ])('Instant from %p arrives as %s and comes back as the same ISO string', async (arg, iso) => {
    await expect(call('describeInstant', 'java.time.Instant', arg)).resolves.toBe(`java.time.Instant|${iso}`);
    await expect(call('echoInstant', 'java.time.Instant', arg)).resolves.toBe(iso);
  });

  it.each([
    ['PT1M30.5S', 'PT1M30.5S'],
    ['-PT0.25S', 'PT-0.25S'],
    ['P1DT2H', 'PT26H'],
    [1500, 'PT1.5S'],
    ['PT0S', 'PT0S'],
  ])('Duration from %p arrives as %s and comes back as Java prints it', async (arg, text) => {
    await expect(call('describeDuration', 'java.time.Duration', arg)).resolves.toBe(`java.time.Duration|${text}`);
    await expect(call('echoDuration', 'java.time.Duration', arg)).resolves.toBe(text);
  });

  it('UUID travels as its text both ways, whatever the case of the hex digits', async () => {
    await expect(call('describeUuid', 'java.util.UUID', UUID.toUpperCase())).resolves.toBe(`java.util.UUID|${UUID}`);
    await expect(call('echoUuid', 'java.util.UUID', UUID)).resolves.toBe(UUID);
    // What came back can be sent again (it used to arrive as all zeros).
    const back = await call('echoUuid', 'java.util.UUID', UUID);
    await expect(call('describeUuid', 'java.util.UUID', back)).resolves.toBe(`java.util.UUID|${UUID}`);
  });

  it('char[] travels as a string both ways (an array of one-character strings is accepted too)', async () => {
    await expect(call('describeChars', 'char[]', 'héllo')).resolves.toBe('[C|héllo');
    await expect(call('describeChars', 'char[]', ['h', 'i'])).resolves.toBe('[C|hi');
    await expect(call('echoChars', 'char[]', 'héllo')).resolves.toBe('héllo');
  });

  it('Optional cannot be carried by Dubbo generic calls: only null (empty) goes through', async () => {
    await expect(call('describeOptional', 'java.util.Optional', null)).resolves.toBe('null');
    const err = await call('describeOptional', 'java.util.Optional', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteServiceError);
    expect((err as RemoteServiceError).message).toMatch(/ClassCastException/);
  });

  it('POJO fields: { $class, $ } with the JS form, and the JS forms back', async () => {
    const event = {
      name: 'deploy',
      at: { $class: 'java.sql.Timestamp', $: AT },
      instant: { $class: 'java.time.Instant', $: '2024-01-02T03:04:05.000000005Z' },
      took: { $class: 'java.time.Duration', $: 'PT3S' },
      id: { $class: 'java.util.UUID', $: UUID },
    };
    await expect(call('describeEvent', 'org.apache.dubbo.test.Event', event)).resolves.toBe(
      `java.lang.String|deploy;java.sql.Timestamp|${MS}|678000000;java.time.Instant|2024-01-02T03:04:05.000000005Z;java.time.Duration|PT3S;java.util.UUID|${UUID}`,
    );
    await expect(call('echoEvent', 'org.apache.dubbo.test.Event', event)).resolves.toEqual({
      class: 'org.apache.dubbo.test.Event',
      name: 'deploy',
      at: AT,
      instant: '2024-01-02T03:04:05.000000005Z',
      took: 'PT3S',
      id: UUID,
    });
  });

  it.each([
    ['java.sql.Timestamp', 'yesterday'],
    ['java.time.Instant', '2024-02-30T00:00:00Z'],
    ['java.time.Duration', '90 seconds'],
    ['java.util.UUID', 'not-a-uuid'],
  ])('refuses a %s that is not one (%p) before sending', async (type, arg) => {
    const err = await call('describeUuid', type, arg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SerializationError);
    expect((err as SerializationError).context).toMatchObject({ path: 'args[0]', javaType: type, reason: 'invalid-argument' });
  });
});
