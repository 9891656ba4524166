import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DubboConnection } from '../../lib/transport/dubbo-connection.js';
import { DubboProvider, type ProviderFlavor } from '../../tools/dubbo-env/dubbo-provider.js';
import { fixtureEnv } from '../../tools/dubbo-env/fixture-env.js';
import { javaGenericCall } from '../../tools/dubbo-env/java-consumer.js';
import { type RecordedFrame, RecordingProxy } from '../helpers/recording-proxy.js';
import { CALL_CASES, ECHO, VECTORS_DIR, loadManifest, needsPrivate27, type VectorEntry, type VectorManifest } from '../helpers/vectors.js';

/**
 * Captures the golden vectors under test/fixtures/vectors from real traffic: Dubbo's Java generic
 * consumer (3.3.6) calls each provider through a loopback RecordingProxy, which writes down every
 * frame. Runs only with CAPTURE_VECTORS=1 (it starts one JVM per call); otherwise it only checks
 * that the proxy forwards a call untouched.
 *
 *   CAPTURE_VECTORS=1 npm run test:int -- protocol-capture
 */
const capture = process.env['CAPTURE_VECTORS'] === '1';
// Optional filters to re-capture part of the set: CAPTURE_PROVIDERS=dubbo27, CAPTURE_CASES=a,b (+ 'heartbeat', 'readonly').
const onlyProviders = process.env['CAPTURE_PROVIDERS']?.split(',');
const onlyCases = process.env['CAPTURE_CASES']?.split(',');
const wanted = (name: string): boolean => !onlyCases || onlyCases.includes(name);
const env = fixtureEnv();
const CONSUMER = 'Dubbo 3.3.6 GenericService ($invoke) via test/java consumer CLI';
const PROVIDERS: Array<{ flavor: Exclude<ProviderFlavor, 'dubbo32'>; address: string; version: string }> = [
  { flavor: 'dubbo3', address: env.provider3, version: '3.3.6' },
  { flavor: 'dubbo27', address: env.provider27, version: '2.7.23' },
];

const entries: VectorEntry[] = [];
function save(file: string, frame: RecordedFrame, meta: Omit<VectorEntry, 'file' | 'direction'>): void {
  writeFileSync(path.join(VECTORS_DIR, file), `${frame.bytes.toString('hex')}\n`);
  entries.push({ file, direction: frame.direction, ...meta });
}

function pairOf(proxy: RecordingProxy): { request: RecordedFrame; response: RecordedFrame } {
  const request = proxy.frames.find((f) => f.direction === 'request' && !f.frame.isEvent);
  if (!request) {
    throw new Error('no request recorded');
  }
  const response = proxy.frames.find(
    (f) => f.direction === 'response' && !f.frame.isEvent && f.frame.requestId === request.frame.requestId,
  );
  if (!response) {
    throw new Error('no response recorded');
  }
  return { request, response };
}

describe('recording proxy', () => {
  let proxy: RecordingProxy;
  beforeAll(async () => {
    proxy = await RecordingProxy.start(env.provider3);
    if (capture) {
      mkdirSync(VECTORS_DIR, { recursive: true });
    }
  });
  afterAll(async () => {
    await proxy.close();
    if (capture) {
      // Entries of a partial re-capture replace their namesakes; the others stay.
      const kept = (loadManifest()?.vectors ?? []).filter((v) => !entries.some((e) => e.file === v.file));
      entries.unshift(...kept);
      const manifest: VectorManifest = {
        description:
          "Golden dubbo frames (hex of the whole frame, header included) captured from real traffic between Dubbo's Java generic consumer and the Java providers of test/java, through the loopback RecordingProxy (test/helpers/recording-proxy.ts). Cases are defined in test/helpers/vectors.ts.",
        regenerate: 'CAPTURE_VECTORS=1 npm run test:int -- protocol-capture',
        vectors: entries,
      };
      writeFileSync(path.join(VECTORS_DIR, 'vectors.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    }
  });

  it('forwards a Java generic call untouched and records both frames', async () => {
    proxy.clear();
    const res = await javaGenericCall({
      url: proxy.url,
      interface: ECHO,
      version: '1.0.0',
      method: 'echo',
      types: ['java.lang.String'],
      args: ['via proxy'],
    });
    expect(res).toEqual({ ok: true, result: 'via proxy' });
    const { request, response } = pairOf(proxy);
    expect(request.frame.flag).toBe(0xc2);
    expect(response.frame.status).toBe(20);
  }, 60_000);

  const captureIt = capture ? it : undefined;
  captureIt?.(
    'captures every call case from both providers',
    async () => {
      for (const p of PROVIDERS.filter((x) => !onlyProviders || onlyProviders.includes(x.flavor))) {
        const px = await RecordingProxy.start(p.address);
        const private27 =
          p.flavor === 'dubbo27' && CALL_CASES.some((c) => needsPrivate27(c) && wanted(c.name))
            ? await DubboProvider.start({ zk: env.zk, flavor: 'dubbo27', services: ['fail'] })
            : undefined;
        const pxFail = private27 ? await RecordingProxy.start(private27.address) : undefined;
        try {
          for (const c of CALL_CASES.filter((x) => x.capture !== false && wanted(x.name))) {
            let pair: ReturnType<typeof pairOf> | undefined;
            // A JVM that dies before calling (memory pressure on a busy machine) gets one more try.
            const via = pxFail && needsPrivate27(c) ? pxFail : px;
            for (let attempt = 0; pair === undefined; attempt++) {
              via.clear();
              const result = await javaGenericCall({
                url: via.url,
                interface: c.interface,
                version: c.version ?? '1.0.0',
                method: c.method,
                types: c.types,
                args: c.javaArgs,
                timeoutMs: 10000,
              });
              try {
                pair = pairOf(via);
              } catch (err) {
                if (attempt > 0) {
                  throw new Error(`${c.name} on ${p.flavor}: ${(err as Error).message}; the Java consumer said ${JSON.stringify(result)}`);
                }
              }
            }
            const { request, response } = pair;
            const meta = {
              case: c.name,
              provider: p.flavor,
              providerVersion: p.version,
              consumer: CONSUMER,
              capturedWith: 'RecordingProxy',
              kind: 'call' as const,
            };
            save(`${c.name}.${p.flavor}.request.hex`, request, meta);
            save(`${c.name}.${p.flavor}.response.hex`, response, meta);
          }
          if (!wanted('heartbeat')) {
            continue;
          }
          // Heartbeats: the consumer's reader-idle timer fires during a slow call (heartbeat=1000 on the URL).
          px.clear();
          await javaGenericCall({
            url: `${px.url}?heartbeat=1000`,
            interface: ECHO,
            version: '1.0.0',
            method: 'sleep',
            types: ['long'],
            args: [2500],
            timeoutMs: 10000,
          });
          const hbRequest = await px.waitFor((f) => f.direction === 'request' && f.frame.isEvent);
          const hbResponse = await px.waitFor(
            (f) => f.direction === 'response' && f.frame.isEvent && f.frame.requestId === hbRequest.frame.requestId,
          );
          const hbMeta = {
            case: 'heartbeat',
            provider: p.flavor,
            providerVersion: p.version,
            consumer: CONSUMER,
            capturedWith: 'RecordingProxy',
            kind: 'heartbeat' as const,
          };
          save(`heartbeat.${p.flavor}.request.hex`, hbRequest, hbMeta);
          save(`heartbeat.${p.flavor}.response.hex`, hbResponse, hbMeta);
        } finally {
          await px.close();
          await pxFail?.close();
          await private27?.kill();
        }
      }
    },
    1_800_000,
  );

  captureIt?.(
    'captures the readonly event a provider sends when it shuts down gracefully',
    async () => {
      for (const flavor of (['dubbo3', 'dubbo27'] as const).filter(
        (f) => wanted('readonly') && (!onlyProviders || onlyProviders.includes(f)),
      )) {
        const provider = await DubboProvider.start({ zk: env.zk, flavor, services: ['echo'] });
        const px = await RecordingProxy.start(provider.address);
        const connection = new DubboConnection({ host: '127.0.0.1', port: px.port, reconnect: false });
        try {
          await connection.request({
            path: ECHO,
            version: '1.0.0',
            method: 'echo',
            parameterTypes: ['java.lang.String'],
            args: ['before shutdown'],
          });
          const stopped = provider.stop();
          const event = await px.waitFor((f) => f.direction === 'response' && f.frame.isEvent && f.frame.isRequest);
          await stopped;
          save(`readonly.${flavor}.event.hex`, event, {
            case: 'readonly',
            provider: flavor,
            providerVersion: flavor === 'dubbo3' ? '3.3.6' : '2.7.23',
            consumer: 'nestjs-dubbo-generic DubboConnection (the event is provider-initiated)',
            capturedWith: 'RecordingProxy',
            kind: 'readonly',
          });
        } finally {
          await connection.close();
          await px.close();
          await provider.kill();
        }
      }
    },
    300_000,
  );
});
