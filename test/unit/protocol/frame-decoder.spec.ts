import { describe, expect, it } from '@jest/globals';
import { ProtocolError } from '../../../lib/errors/protocol.error.js';
import { encodeHeader } from '../../../lib/protocol/dubbo-header.js';
import { encodeHeartbeatRequest, encodeHeartbeatResponse } from '../../../lib/protocol/events.js';
import { type DubboFrame, FrameDecoder } from '../../../lib/protocol/frame-decoder.js';

function framesOf(chunks: Buffer[], maxPayloadBytes?: number): DubboFrame[] {
  const frames: DubboFrame[] = [];
  const decoder = new FrameDecoder((f) => frames.push({ ...f, body: Buffer.from(f.body) }), { maxPayloadBytes });
  for (const c of chunks) {
    decoder.push(c);
  }
  return frames;
}

/** Whole, byte by byte, and split in two at every position: the same frames each time. */
function expectSameInEveryChunking(bytes: Buffer, maxPayloadBytes?: number): DubboFrame[] {
  const whole = framesOf([bytes], maxPayloadBytes);
  const byByte = framesOf(
    [...bytes].map((b) => Buffer.from([b])),
    maxPayloadBytes,
  );
  expect(byByte).toEqual(whole);
  for (let i = 1; i < bytes.length; i++) {
    expect(framesOf([bytes.subarray(0, i), bytes.subarray(i)], maxPayloadBytes)).toEqual(whole);
  }
  return whole;
}

const okEcho = Buffer.from('dabb0214000000000000000100000019' + '94' + '0968692c20776f726c64' + '4805647562626f05322e302e325a', 'hex');

describe('FrameDecoder', () => {
  it('decodes a response frame in every chunking', () => {
    const [frame] = expectSameInEveryChunking(okEcho);
    expect(frame).toMatchObject({ flag: 0x02, status: 20, requestId: 1, bodyLength: 25 });
  });

  it('decodes several frames sharing chunks, including empty bodies', () => {
    const empty = encodeHeader({ isRequest: false, status: 20, requestId: 9, bodyLength: 0 });
    const all = Buffer.concat([okEcho, encodeHeartbeatRequest(2), empty, encodeHeartbeatResponse(3), okEcho]);
    const frames = expectSameInEveryChunking(all);
    expect(frames.map((f) => f.requestId)).toEqual([1, 2, 9, 3, 1]);
    expect(frames[2]!.body.length).toBe(0);
  });

  it('refuses an over-limit header at once, before any of its body arrives, naming the limit', () => {
    const header = encodeHeader({ isRequest: false, status: 20, requestId: 5, bodyLength: 2 ** 31 - 1 });
    const frames: DubboFrame[] = [];
    const decoder = new FrameDecoder((f) => frames.push(f), { maxPayloadBytes: 100 });
    decoder.push(okEcho);
    let caught: unknown;
    try {
      // Only the 16 header bytes: the call must not wait for a body that may never come.
      decoder.push(header);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect((caught as ProtocolError).code).toBe('PROTOCOL_ERROR');
    expect((caught as ProtocolError).message).toBe(
      'Frame 5 announces a body of 2147483647 bytes, over the payload limit of 100 bytes (maxPayloadBytes)',
    );
    expect((caught as ProtocolError).context).toEqual({
      requestId: 5,
      bodyLength: 2147483647,
      maxPayloadBytes: 100,
      reason: 'payload-limit',
    });
    expect(frames.map((f) => f.requestId)).toEqual([1]);
    expect(decoder.bufferedBytes).toBe(0);
    expect(() => decoder.push(okEcho)).toThrow(ProtocolError);
  });

  it('accepts a body of exactly the limit', () => {
    const frames: DubboFrame[] = [];
    new FrameDecoder((f) => frames.push(f), { maxPayloadBytes: 25 }).push(okEcho);
    expect(frames).toHaveLength(1);
    expect(() => new FrameDecoder(() => undefined, { maxPayloadBytes: 24 }).push(okEcho)).toThrow(/over the payload limit of 24 bytes/);
  });

  it('rejects bytes that are not a dubbo frame with a ProtocolError, then refuses more input', () => {
    const decoder = new FrameDecoder(() => undefined);
    expect(() => decoder.push(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))).toThrow(ProtocolError);
    expect(() => decoder.push(okEcho)).toThrow(ProtocolError);
    const negative = Buffer.from(okEcho);
    negative.writeInt32BE(-1, 12);
    expect(() => new FrameDecoder(() => undefined).push(negative)).toThrow(/negative body length/);
  });

  it('rejects a header whose first or second magic byte is wrong, naming the bytes seen', () => {
    for (const [hex, seen] of [
      ['da00', '0xda00'],
      ['00bb', '0x00bb'],
      ['dbbb', '0xdbbb'],
      ['daba', '0xdaba'],
    ] as const) {
      const bytes = Buffer.from(okEcho);
      bytes.write(hex, 0, 'hex');
      const frames: DubboFrame[] = [];
      const decoder = new FrameDecoder((f) => frames.push(f));
      let caught: unknown;
      try {
        decoder.push(bytes);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ProtocolError);
      expect((caught as ProtocolError).code).toBe('PROTOCOL_ERROR');
      expect((caught as ProtocolError).message).toBe(
        `Bad frame: expected magic 0xdabb, got ${seen}; the peer is not speaking the dubbo protocol or the stream lost framing`,
      );
      expect(frames).toEqual([]);
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it('delivers a body of exactly the limit and refuses one byte more, at the header', () => {
    const limit = 1000;
    const atLimit = Buffer.concat([
      encodeHeader({ isRequest: false, status: 20, requestId: 7, bodyLength: limit }),
      Buffer.alloc(limit, 0x4e),
    ]);
    const frames: DubboFrame[] = [];
    new FrameDecoder((f) => frames.push(f), { maxPayloadBytes: limit }).push(atLimit);
    expect(frames.map((f) => [f.requestId, f.bodyLength, f.body.length])).toEqual([[7, limit, limit]]);
    const decoder = new FrameDecoder(() => undefined, { maxPayloadBytes: limit });
    let caught: unknown;
    try {
      decoder.push(encodeHeader({ isRequest: false, status: 20, requestId: 8, bodyLength: limit + 1 }));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect((caught as ProtocolError).context).toEqual({
      requestId: 8,
      bodyLength: limit + 1,
      maxPayloadBytes: limit,
      reason: 'payload-limit',
    });
    expect(decoder.bufferedBytes).toBe(0);
  });
});
