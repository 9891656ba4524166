import { describe, expect, it } from '@jest/globals';
import { classifyFrame, encodeHeartbeatRequest, encodeHeartbeatResponse, encodeReadonlyEvent } from '../../../lib/protocol/events.js';
import { type DubboFrame, FrameDecoder } from '../../../lib/protocol/frame-decoder.js';

function framesOf(bytes: Buffer): DubboFrame[] {
  const frames: DubboFrame[] = [];
  new FrameDecoder((f) => frames.push({ ...f, body: Buffer.from(f.body) })).push(bytes);
  return frames;
}

/** A status-20 reply to request 1: value "hi, world" with attachments. */
const okEcho = Buffer.from('dabb0214000000000000000100000019' + '94' + '0968692c20776f726c64' + '4805647562626f05322e302e325a', 'hex');

describe('events', () => {
  it('encodes heartbeats and the readonly event as Java does', () => {
    expect(encodeHeartbeatRequest(7).toString('hex')).toBe('dabbe20000000000000000070000000' + '14e');
    expect(encodeHeartbeatResponse(7).toString('hex')).toBe('dabb22140000000000000007000000014e');
    expect(encodeReadonlyEvent(3).toString('hex')).toBe('dabba20000000000000000030000000' + '20152');
  });

  it('classifies frames', () => {
    const [hbReq, hbRes, ro, w, ok] = framesOf(
      Buffer.concat([encodeHeartbeatRequest(1), encodeHeartbeatResponse(1), encodeReadonlyEvent(2), encodeReadonlyEvent(3, true), okEcho]),
    );
    expect([hbReq, hbRes, ro, w, ok].map((f) => classifyFrame(f!))).toEqual([
      'heartbeat-request',
      'heartbeat-response',
      'readonly',
      'writable',
      'response',
    ]);
  });
});
