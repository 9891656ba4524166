import { describe, expect, it } from '@jest/globals';
import { decodeHeader, encodeHeader, readRequestId, writeRequestId } from '../../../lib/protocol/dubbo-header.js';

describe('dubbo header', () => {
  it('round-trips every field, including request ids beyond 2^53 as bigint', () => {
    const h = encodeHeader({ isRequest: true, twoWay: true, isEvent: true, requestId: 7, bodyLength: 1 });
    expect(h.toString('hex')).toBe('dabbe2000000000000000007' + '00000001');
    expect(decodeHeader(h)).toEqual({
      flag: 0xe2,
      isRequest: true,
      twoWay: true,
      isEvent: true,
      serializationId: 2,
      status: 0,
      requestId: 7,
      bodyLength: 1,
    });
    const buf = Buffer.alloc(8);
    for (const id of [0, 1, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      writeRequestId(buf, 0, id);
      expect(readRequestId(buf, 0)).toBe(id);
    }
    for (const id of [-1n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n]) {
      writeRequestId(buf, 0, id);
      const back = readRequestId(buf, 0);
      expect(BigInt(back)).toBe(id);
    }
  });
});
