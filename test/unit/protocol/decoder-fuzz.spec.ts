import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ProtocolError } from '../../../lib/errors/protocol.error.js';
import { DubboError } from '../../../lib/errors/dubbo.error.js';
import { encodeHeader } from '../../../lib/protocol/dubbo-header.js';
import { encodeHeartbeatRequest, encodeReadonlyEvent, classifyFrame } from '../../../lib/protocol/events.js';
import { FrameDecoder } from '../../../lib/protocol/frame-decoder.js';
import { Hessian2Decoder } from '../../../lib/protocol/hessian/hessian2-decoder.js';
import { Hessian2Encoder } from '../../../lib/protocol/hessian/hessian2-encoder.js';
import { decodeResponse } from '../../../lib/protocol/response-decoder.js';
import { loadManifest, loadVector } from '../../helpers/vectors.js';

const MAX_PAYLOAD = 4096;

function response(id: number, status: number, build: (e: Hessian2Encoder) => void): Buffer {
  const e = new Hessian2Encoder();
  build(e);
  const body = e.toBuffer();
  return Buffer.concat([encodeHeader({ isRequest: false, status, requestId: id, bodyLength: body.length }), body]);
}

/** Valid frames to mutate: synthetic ones plus every captured response that fits the limit. */
const seeds: Buffer[] = [
  response(1, 20, (e) => e.writeInt(4).write('hi, world').write({ dubbo: '2.0.2' })),
  response(2, 20, (e) => e.writeInt(1).write({ a: [1, 2n ** 60n, 'x', new Date(0)], b: { c: null } })),
  response(3, 20, (e) => e.writeInt(0).write({ $class: 'java.lang.IllegalStateException', $: { detailMessage: 'bad', stackTrace: [] } })),
  response(4, 70, (e) => e.writeString('org.apache.dubbo.rpc.RpcException: Not found exported service')),
  response(5, 100, (e) => e.writeString('thread pool is exhausted')),
  encodeHeartbeatRequest(6),
  encodeReadonlyEvent(7),
  ...(loadManifest()?.vectors ?? [])
    .filter((v) => v.direction !== 'request')
    .map((v) => loadVector(v))
    .filter((b) => b.length < MAX_PAYLOAD),
];

/**
 * What a connection does with bytes from the network: frame them, classify each frame, decode
 * responses. Anything thrown must be the decoder's ProtocolError (the connection then closes the
 * socket); decodeResponse never throws.
 */
function feed(chunks: Buffer[]): { frames: number; protocolError: boolean } {
  let frames = 0;
  const decoder = new FrameDecoder(
    (frame) => {
      frames++;
      const kind = classifyFrame(frame);
      if (kind === 'response') {
        const decoded = decodeResponse(frame, { maxPayloadBytes: MAX_PAYLOAD });
        if (!decoded.ok && !(decoded.error instanceof DubboError)) {
          throw new Error('decodeResponse produced a non-DubboError');
        }
      }
    },
    { maxPayloadBytes: MAX_PAYLOAD },
  );
  for (const chunk of chunks) {
    try {
      decoder.push(chunk);
    } catch (err) {
      if (!(err instanceof ProtocolError)) {
        throw err;
      }
      return { frames, protocolError: true };
    }
    if (decoder.bufferedBytes > MAX_PAYLOAD + 16) {
      throw new Error(`buffered ${decoder.bufferedBytes} bytes, over the limit`);
    }
  }
  return { frames, protocolError: false };
}

function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('length' as const), value: fc.integer({ min: -5, max: MAX_PAYLOAD * 4 }) }),
);

function mutate(seed: Buffer, steps: readonly unknown[]): Buffer {
  let bytes = Buffer.from(seed);
  for (const raw of steps) {
    const m = raw as { kind: string; at?: number; value?: number; bytes?: Uint8Array };
    const at = (m.at ?? 0) % Math.max(1, bytes.length);
    if (m.kind === 'flip') {
      bytes[at] = m.value!;
    } else if (m.kind === 'truncate') {
      bytes = bytes.subarray(0, at);
    } else if (m.kind === 'insert') {
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes!), bytes.subarray(at)]);
    } else if (bytes.length >= 16) {
      bytes.writeInt32BE(m.value!, 12);
    }
  }
  return bytes;
}

describe('decoder fuzzing (fast-check)', () => {
  it('random bytes in random chunks: only ProtocolError, never over the payload limit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (raw, cuts, withMagic) => {
        const bytes = Buffer.from(raw);
        if (withMagic && bytes.length >= 2) {
          bytes[0] = 0xda;
          bytes[1] = 0xbb;
        }
        feed(chunked(bytes, cuts));
      }),
      { numRuns: 40_000 },
    );
  });

  it('mutated valid frames, several per stream: decoded or rejected, never thrown out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ seed: fc.nat({ max: seeds.length - 1 }), steps: fc.array(mutation, { maxLength: 3 }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (frames, cuts) => {
          const stream = Buffer.concat(frames.map((f) => mutate(seeds[f.seed]!, f.steps)));
          feed(chunked(stream, cuts));
        },
      ),
      { numRuns: 50_000 },
    );
  });

  it('random Hessian bodies: the value decoder throws plain errors or returns, and never pollutes prototypes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
        try {
          new Hessian2Decoder(Buffer.from(raw)).read();
        } catch (err) {
          // Errors may come from Node's own realm (Buffer range checks), so no instanceof here.
          expect(typeof (err as { message?: unknown }).message).toBe('string');
        }
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty('x');
      }),
      { numRuns: 20_000 },
    );
  });

  it('valid frames survive any chunking unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: seeds.length - 1 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (picks, cuts) => {
          const stream = Buffer.concat(picks.map((i) => seeds[i]!));
          const result = feed(chunked(stream, cuts));
          expect(result).toEqual({ frames: picks.length, protocolError: false });
        },
      ),
      { numRuns: 5_000 },
    );
  });
});
