import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DubboError } from '../../../lib/errors/index.js';
import { resolveOptions } from '../../../lib/options/resolve-options.js';
import { DubboConsumer } from '../../../lib/consumer/dubbo-consumer.js';
import { FakeDubboProvider } from '../../helpers/fake-dubbo-provider.js';

/**
 * The call boundary as a hostile caller sees it: every field of an invocation drawn from valid and
 * hostile values (wrong types, huge sizes, Dubbo separators, reserved keys, non-finite numbers,
 * values that do not fit their declared Java type). Every call either fails with a typed error
 * before a byte is written, or writes one frame that decodes to exactly the requested
 * service / version / group / method / arguments / attachments.
 */

const RUNS = 50_000;

let provider: FakeDubboProvider;
let consumer: DubboConsumer;

beforeAll(async () => {
  provider = await FakeDubboProvider.start((request, p) => p.reply(request, null));
  consumer = new DubboConsumer(resolveOptions({ application: 'boundary', registry: { direct: [`dubbo://127.0.0.1:${provider.port}`] } }));
  await consumer.start();
});

afterAll(async () => {
  await consumer.close();
  await provider.close();
});

const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '/',
    ':',
    'a/b',
    'a:b',
    '1.0.0/evil',
    'com.acme.Hostile:1.0.0',
    'g/com.acme.X',
    '__proto__',
    'constructor',
    'a\u0000b',
    'a\nb',
    '\u200b',
    'x'.repeat(300),
  ),
  fc.string({ maxLength: 12 }),
);
const hostileValue = fc.oneof(
  fc.constantFrom(null, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, 2 ** 63, 10n ** 30n, true, [], {}, '100'),
  hostileString,
);

const serviceArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('com.acme.Greeter', 'org.apache.dubbo.test.EchoService', 'x.Y$Inner') },
  { weight: 1, arbitrary: hostileValue },
);
const versionArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(undefined, '1.0.0', '2.0.0', '0.0.0', '1.0.0-SNAPSHOT', '*') },
  { weight: 1, arbitrary: hostileValue },
);
const groupArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(undefined, 'a', 'b', 'a,b', 'dev-1') },
  { weight: 1, arbitrary: hostileValue },
);
const methodArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('echo', 'greet', '$echo', 'get_2') },
  { weight: 1, arbitrary: hostileValue },
);
const timeoutArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(undefined, 1000, 5000, 2 ** 31 - 1) },
  { weight: 1, arbitrary: hostileValue },
);
const retriesArb = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(undefined, 0, 1, 2) }, { weight: 1, arbitrary: hostileValue });
const safeKey = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => /^[\w.-]+$/.test(k));
const attachmentsArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 8, arbitrary: fc.dictionary(safeKey, fc.string({ maxLength: 20 }), { maxKeys: 4 }) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        key: fc.constantFrom(
          'path',
          'version',
          'group',
          'interface',
          'generic',
          'token',
          'timeout',
          'Version',
          'remote.application',
          'dubbo',
          '_TO',
          'ok-key',
        ),
        value: fc.oneof(fc.string({ maxLength: 8 }), hostileValue),
      })
      .map(({ key, value }) => ({ [key]: value })),
  },
  { weight: 1, arbitrary: hostileValue },
);

/** A declared parameter type and a value for it: usually one that fits, sometimes not. */
/** Mostly a value that fits, sometimes a hostile one. */
const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 10, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });

const argArb = fc.oneof(
  fc.record({ type: fc.constant('int'), value: mostly(fc.oneof(fc.integer(), fc.integer().map(String))) }),
  fc.record({
    type: fc.constant('long'),
    value: mostly(fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.maxSafeInteger())),
  }),
  fc.record({ type: fc.constant('double'), value: mostly(fc.double()) }),
  fc.record({ type: fc.constant('java.lang.String'), value: mostly(fc.string({ maxLength: 30 })) }),
  fc.record({ type: fc.constant('boolean'), value: mostly(fc.boolean()) }),
  fc.record({
    type: fc.constant('int[]'),
    value: fc.oneof(
      { weight: 10, arbitrary: fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 5 }) },
      { weight: 1, arbitrary: fc.array(hostileValue, { maxLength: 3 }) },
    ),
  }),
  fc.record({
    type: fc.constantFrom('java.lang.Object', 'com.acme.Order'),
    value: fc.oneof(
      { weight: 10, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(() => 1, Symbol('s'), new Date(Number.NaN), { qty: { $class: 'int', $: 2 ** 40 } }) },
    ),
  }),
);

const invocationArb = fc.record(
  {
    service: serviceArb,
    version: versionArb,
    group: groupArb,
    method: methodArb,
    params: fc.array(argArb, { maxLength: 4 }),
    typesMismatch: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    timeoutMs: timeoutArb,
    retries: retriesArb,
    attachments: attachmentsArb,
    extraKey: fc.option(fc.constantFrom('timeout', 'parameterType', 'methd'), { freq: 10 }),
  },
  { requiredKeys: ['service', 'method', 'params'] },
);

/** What the provider decodes for a value sent under a declared type (the model of the conversion). */
function onTheWire(value: unknown, type: string): unknown {
  if (type === 'int' || type === 'long') {
    const n = typeof value === 'string' ? BigInt(value) : value;
    return typeof n === 'bigint' && n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  if (type === 'double') {
    return Object.is(value, -0) ? 0 : value;
  }
  if (type === 'int[]') {
    return (value as unknown[]).map((e) => onTheWire(e, 'int'));
  }
  return generic(value);
}

function generic(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Object.is(value, -0)) {
      return 0;
    }
    return Number.isInteger(value) && !Number.isSafeInteger(value) && Math.abs(value) < 2 ** 63 ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    return value.map(generic);
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: generic(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

describe('the call boundary, property-based', () => {
  it(`every invocation fails typed before sending, or sends exactly what was asked (${RUNS} runs)`, async () => {
    let sent = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(invocationArb, async (g) => {
        const parameterTypes = g.params.map((p) => p.type);
        const args = g.params.map((p) => p.value);
        const invocation: Record<string, unknown> = {
          service: g.service,
          method: g.method,
          parameterTypes: g.typesMismatch && parameterTypes.length > 0 ? parameterTypes.slice(1) : parameterTypes,
          args,
        };
        for (const key of ['version', 'group', 'timeoutMs', 'retries', 'attachments'] as const) {
          if (g[key] !== undefined) {
            invocation[key] = g[key];
          }
        }
        if (g.extraKey) {
          invocation[g.extraKey] = 1;
        }
        const before = provider.requests.length;
        let error: unknown;
        try {
          await consumer.invoke(invocation as never);
        } catch (err) {
          error = err;
        }
        if (error !== undefined) {
          expect(error).toBeInstanceOf(DubboError);
          expect(['CONFIG_INVALID', 'SERIALIZATION_ERROR']).toContain((error as DubboError).code);
          expect(provider.requests.length).toBe(before);
          refused++;
          return;
        }
        sent++;
        expect(provider.requests.length).toBe(before + 1);
        const wire = provider.requests[before]!.call!;
        const version = (invocation['version'] as string | undefined) || '0.0.0';
        expect(wire.path).toBe(invocation['service']);
        expect(wire.version).toBe(version);
        expect(wire.method).toBe(invocation['method']);
        expect(wire.parameterTypes).toEqual(parameterTypes);
        expect(wire.args).toEqual(g.params.map((p) => onTheWire(p.value, p.type)));
        const expected: Record<string, unknown> = {
          ...((invocation['attachments'] as Record<string, string> | undefined) ?? {}),
          path: invocation['service'],
          interface: invocation['service'],
          version,
          generic: 'true',
          timeout: String(invocation['timeoutMs'] ?? 3000),
          'remote.application': 'boundary',
        };
        if (invocation['group']) {
          expected['group'] = invocation['group'];
        }
        expect(wire.attachments).toEqual(expected);
        provider.requests.length = 0;
      }),
      { numRuns: RUNS },
    );
    // Both outcomes are exercised in earnest.
    expect(sent).toBeGreaterThan(RUNS / 12);
    expect(refused).toBeGreaterThan(RUNS / 5);
  }, 300_000);
});
