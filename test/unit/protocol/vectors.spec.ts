import { describe, expect, it } from '@jest/globals';
import { RemoteServiceError } from '../../../lib/errors/remote-service.error.js';
import { encodeHeartbeatRequest, encodeHeartbeatResponse, classifyFrame } from '../../../lib/protocol/events.js';
import { type DubboFrame, FrameDecoder } from '../../../lib/protocol/frame-decoder.js';
import { Hessian2Decoder } from '../../../lib/protocol/hessian/hessian2-decoder.js';
import { RequestEncoder } from '../../../lib/protocol/request-encoder.js';
import { decodeResponse } from '../../../lib/protocol/response-decoder.js';
import { CALL_CASES, callCase, loadManifest, loadVector, type VectorEntry } from '../../helpers/vectors.js';

// Golden frames captured from Dubbo's Java generic consumer talking to the real 3.3 and 2.7 providers
// (see test/fixtures/vectors/vectors.json and test/integration/protocol-capture.int-spec.ts).
const manifest = loadManifest();
if (!manifest) {
  throw new Error('test/fixtures/vectors/vectors.json is missing: capture it with CAPTURE_VECTORS=1 (see protocol-capture.int-spec.ts)');
}
const vectors = manifest.vectors;
const named = (v: VectorEntry): string => v.file;

function decodeAll(chunks: Buffer[]): DubboFrame[] {
  const frames: DubboFrame[] = [];
  const d = new FrameDecoder((f) => frames.push({ ...f, body: Buffer.from(f.body) }), { maxPayloadBytes: 0 });
  for (const c of chunks) {
    d.push(c);
  }
  return frames;
}

function sameFrame(a: DubboFrame | undefined, b: DubboFrame | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.flag === b.flag &&
    a.status === b.status &&
    a.requestId === b.requestId &&
    a.bodyLength === b.bodyLength &&
    a.body.equals(b.body)
  );
}

/** Reads a generic request body the way the provider does. */
function parseRequest(body: Buffer): Record<string, unknown> {
  const d = new Hessian2Decoder(body);
  const fields = ['dubboVersion', 'path', 'version', 'invoke', 'descriptor', 'method', 'parameterTypes', 'args', 'attachments'];
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    out[f] = d.read();
  }
  expect(d.atEnd).toBe(true);
  return out;
}

describe('golden vectors', () => {
  it('cover every call case from both providers, plus heartbeats and readonly events', () => {
    for (const c of CALL_CASES.filter((x) => x.capture !== false)) {
      for (const provider of ['dubbo3', 'dubbo27']) {
        expect(
          vectors
            .filter((v) => v.case === c.name && v.provider === provider)
            .map((v) => v.direction)
            .sort(),
        ).toEqual(['request', 'response']);
      }
    }
    expect(vectors.filter((v) => v.kind === 'heartbeat').length).toBe(4);
    expect(
      vectors
        .filter((v) => v.kind === 'readonly')
        .map((v) => v.provider)
        .sort(),
    ).toEqual(['dubbo27', 'dubbo3']);
  });

  describe.each(vectors.map((v) => [named(v), v] as const))('%s', (_name, entry) => {
    const bytes = loadVector(entry);

    it('decodes to one frame whole, byte by byte and split at every position', () => {
      const whole = decodeAll([bytes]);
      expect(whole).toHaveLength(1);
      expect(whole[0]!.bodyLength).toBe(bytes.length - 16);
      expect(sameFrame(decodeAll([...bytes].map((b) => Buffer.from([b])))[0], whole[0])).toBe(true);
      for (let i = 1; i < bytes.length; i++) {
        const split = decodeAll([bytes.subarray(0, i), bytes.subarray(i)]);
        if (split.length !== 1 || !sameFrame(split[0], whole[0])) {
          throw new Error(`split at ${i} decoded differently`);
        }
      }
    });
  });
});

describe('responses captured from the providers decode to the expected values and errors', () => {
  const responses = vectors.filter((v) => v.kind === 'call' && v.direction === 'response');
  it.each(responses.map((v) => [named(v), v] as const))('%s', (_name, entry) => {
    const c = callCase(entry.case);
    const [frame] = decodeAll([loadVector(entry)]);
    const decoded = decodeResponse(frame!, { service: c.interface, method: c.method });
    if (c.error) {
      expect(decoded.ok).toBe(false);
      const error = (decoded as unknown as { error: RemoteServiceError }).error;
      expect(error).toBeInstanceOf(RemoteServiceError);
      if (c.error.javaClass instanceof RegExp) {
        expect(error.javaClass).toMatch(c.error.javaClass);
      } else {
        expect(error.javaClass).toBe(c.error.javaClass);
      }
      expect(error.status).toBe(c.error.status);
      if (c.error.message instanceof RegExp) {
        expect(error.message).toMatch(c.error.message);
      } else if (c.error.message !== undefined) {
        expect(error.remoteMessage).toBe(c.error.message);
      }
    } else {
      expect(decoded).toEqual({ ok: true, value: c.expected, attachments: expect.anything() as unknown });
    }
  });
});

describe('requests: our encoder against what the Java consumer sent', () => {
  const requests = vectors.filter((v) => v.kind === 'call' && v.direction === 'request');
  it.each(requests.map((v) => [named(v), v] as const))('%s', (_name, entry) => {
    const c = callCase(entry.case);
    const javaBytes = loadVector(entry);
    const [frame] = decodeAll([javaBytes]);
    const java = parseRequest(frame!.body);
    const javaAttachments = java['attachments'] as Record<string, unknown>;
    // Only what the encoder does not compute itself (remote.application, …): path, interface, version,
    // group, generic and timeout must come out of the encoder equal to Java's.
    const computed = new Set(['path', 'interface', 'version', 'group', 'generic', 'timeout']);
    const extra: Record<string, unknown> = Object.fromEntries(Object.entries(javaAttachments).filter(([k]) => !computed.has(k)));
    expect(javaAttachments['generic']).toBe('true');
    const encoder = new RequestEncoder();
    const timeout = Number(javaAttachments['timeout']);
    const ours = encoder.encode(
      frame!.requestId as number,
      { path: c.interface, version: c.version ?? '1.0.0', method: c.method, parameterTypes: c.types, args: c.nodeArgs, attachments: extra },
      timeout,
    );
    const [ourFrame] = decodeAll([ours]);
    const mine = parseRequest(ourFrame!.body);
    // Same fields, whatever the argument forms (the provider realizes both to the declared types).
    expect({ ...mine, args: undefined }).toEqual({ ...java, args: undefined });
    expect(ourFrame!.flag).toBe(frame!.flag);
    // Byte for byte wherever Java's JSON-parsed arguments have the same Hessian form as ours.
    if (BYTE_EXACT.has(c.name)) {
      expect(ours.toString('hex')).toBe(javaBytes.toString('hex'));
    }
  });
});

describe('heartbeat and readonly vectors', () => {
  it.each(vectors.filter((v) => v.kind === 'heartbeat').map((v) => [named(v), v] as const))(
    '%s is what we send and answer',
    (_name, entry) => {
      const bytes = loadVector(entry);
      const [frame] = decodeAll([bytes]);
      if (entry.direction === 'request') {
        expect(classifyFrame(frame!)).toBe('heartbeat-request');
        expect(encodeHeartbeatRequest(frame!.requestId).equals(bytes)).toBe(true);
      } else {
        expect(classifyFrame(frame!)).toBe('heartbeat-response');
        expect(encodeHeartbeatResponse(frame!.requestId).equals(bytes)).toBe(true);
      }
    },
  );

  it.each(vectors.filter((v) => v.kind === 'readonly').map((v) => [named(v), v] as const))(
    '%s is recognised as readonly',
    (_name, entry) => {
      const [frame] = decodeAll([loadVector(entry)]);
      expect(classifyFrame(frame!)).toBe('readonly');
      expect(frame!.twoWay).toBe(false);
    },
  );
});

/**
 * Cases whose Java arguments (parsed from JSON by the CLI) take exactly the Hessian form ours take:
 * all but longs the CLI had to pass as strings, a date it passed as epoch millis, and JSON objects,
 * which Jackson makes LinkedHashMaps (a typed `M` map) where we write an untyped `H` map.
 */
const NOT_SAME_ARGUMENT_FORM = new Set(['echoLong-max', 'echoLong-2p53plus1', 'echoDate', 'echoMap', 'echoNested']);
const BYTE_EXACT = new Set<string>(CALL_CASES.map((c) => c.name).filter((n) => !NOT_SAME_ARGUMENT_FORM.has(n)));
