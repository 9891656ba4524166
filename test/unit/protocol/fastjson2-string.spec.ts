import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MethodNotFoundError, RemoteError, ServiceNotFoundError } from '../../../lib/errors/index.js';
import { decodeFastjson2String, FASTJSON2_SERIALIZATION_ID } from '../../../lib/protocol/fastjson2-string.js';
import { type DubboFrame } from '../../../lib/protocol/frame-decoder.js';
import { decodeResponse } from '../../../lib/protocol/response-decoder.js';
import { repoRoot } from '../../../tools/dubbo-env/java-fixtures.js';

interface CapturedBody {
  name: string;
  status: number;
  serializationId: number;
  body: string;
}

// Error replies of a real Dubbo 3.2.19 provider to Hessian2 requests (see the file's description).
const captured = (
  JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'fastjson2', 'dubbo32-error-bodies.json'), 'utf8')) as {
    bodies: CapturedBody[];
  }
).bodies;
const body = (name: string): Buffer => Buffer.from(captured.find((b) => b.name === name)!.body, 'hex');

/** A JSONB body the way Dubbo frames it: 4-byte length, then the JSONB bytes. */
const framed = (...jsonb: number[]): Buffer => {
  const head = Buffer.alloc(4);
  head.writeInt32BE(jsonb.length);
  return Buffer.concat([head, Buffer.from(jsonb)]);
};

/** The error of a reply that must fail. */
function errorOf(frame: DubboFrame): unknown {
  const decoded = decodeResponse(frame);
  if (decoded.ok) {
    throw new Error('expected an error reply');
  }
  return decoded.error;
}

function frameOf(status: number, payload: Buffer, serializationId = FASTJSON2_SERIALIZATION_ID): DubboFrame {
  return {
    flag: serializationId,
    serializationId,
    status,
    requestId: 7,
    bodyLength: payload.length,
    body: payload,
    isRequest: false,
    twoWay: false,
    isEvent: false,
  };
}

describe('decodeFastjson2String on bytes from a real 3.2.19 provider', () => {
  it('has the five captured bodies, all fastjson2', () => {
    expect(captured.map((b) => [b.name, b.status, b.serializationId])).toEqual([
      ['wrong-group', 70, 23],
      ['wrong-version', 40, 23],
      ['no-such-method', 70, 23],
      ['group-latin1', 70, 23],
      ['group-cjk', 70, 23],
    ]);
  });

  it('reads a 2471-byte ASCII message whose 3-byte length holds a newline byte (0x44 0x09 0xa7)', () => {
    const text = decodeFastjson2String(body('wrong-group'))!;
    expect(text).toHaveLength(2471);
    expect(
      text.startsWith(
        'org.apache.dubbo.remoting.RemotingException: Not found exported service: zz/org.apache.dubbo.test.GreetingService:1.0.0:',
      ),
    ).toBe(true);
    expect(text.split('\n')[0]).toContain('may be version or group mismatch');
  });

  it('reads a two-byte length (0x38 0x56 = 86)', () => {
    expect(decodeFastjson2String(body('wrong-version'))).toBe(
      'Fail to decode request due to: RpcInvocation [methodName=$invoke, parameterTypes=null]',
    );
  });

  it('reads a Latin-1 message (ü is one byte in the ASCII form)', () => {
    expect(decodeFastjson2String(body('group-latin1'))).toContain(
      'Not found exported service: grün/org.apache.dubbo.test.GreetingService:1.0.0:',
    );
  });

  it('reads a UTF-8 message with CJK and an astral character', () => {
    expect(decodeFastjson2String(body('group-cjk'))).toContain(
      'Not found exported service: 组-\u{1F600}/org.apache.dubbo.test.GreetingService:1.0.0:',
    );
  });
});

describe('decodeFastjson2String forms', () => {
  it('reads the fixed ASCII forms 0x49 (empty) to 0x78 (47 bytes)', () => {
    expect(decodeFastjson2String(framed(0x49))).toBe('');
    expect(decodeFastjson2String(framed(0x4c, 0x61, 0x62, 0x63))).toBe('abc');
    const x47 = Array.from({ length: 47 }, () => 0x78);
    expect(decodeFastjson2String(framed(0x78, ...x47))).toBe('x'.repeat(47));
  });

  it('reads every length form: one byte, two bytes (zero at 0x38), three bytes, int32', () => {
    expect(decodeFastjson2String(framed(0x79, 0x02, 0x68, 0x69))).toBe('hi');
    const b300 = Array.from({ length: 300 }, () => 0x61);
    // 300 = ((0x39 - 0x38) << 8) + 0x2c
    expect(decodeFastjson2String(framed(0x79, 0x39, 0x2c, ...b300))).toBe('a'.repeat(300));
    // 300 as three bytes: ((0x44 - 0x44) << 16) + 0x012c
    expect(decodeFastjson2String(framed(0x79, 0x44, 0x01, 0x2c, ...b300))).toBe('a'.repeat(300));
    expect(decodeFastjson2String(framed(0x79, 0x48, 0x00, 0x00, 0x01, 0x2c, ...b300))).toBe('a'.repeat(300));
  });

  it('reads UTF-16 LE, BE, and BOM-led UTF-16', () => {
    expect(decodeFastjson2String(framed(0x7c, 0x04, 0xc4, 0x7e, 0xe9, 0x00))).toBe('组é');
    expect(decodeFastjson2String(framed(0x7d, 0x04, 0x7e, 0xc4, 0x00, 0xe9))).toBe('组é');
    expect(decodeFastjson2String(framed(0x7b, 0x04, 0x7e, 0xc4, 0x00, 0xe9))).toBe('组é');
    expect(decodeFastjson2String(framed(0x7b, 0x06, 0xff, 0xfe, 0xc4, 0x7e, 0xe9, 0x00))).toBe('组é');
  });

  it('reads GB18030', () => {
    expect(decodeFastjson2String(framed(0x7e, 0x04, 0xd6, 0xd0, 0xce, 0xc4))).toBe('中文');
  });

  it.each([
    ['too short', Buffer.from([0, 0, 0, 1])],
    ['a length prefix beyond the body', Buffer.from([0, 0, 0, 9, 0x4a, 0x41])],
    ['JSONB null', framed(0xaf)],
    ['an int, not a string', framed(0x05)],
    ['a symbol reference', framed(0x7f, 0x02)],
    ['a string cut short', framed(0x79, 0x05, 0x61)],
    ['a negative length', framed(0x79, 0xf0)],
    ['odd-length UTF-16', framed(0x7c, 0x03, 0x61, 0x00, 0x62)],
  ])('returns undefined for %s', (_name, bytes) => {
    expect(decodeFastjson2String(bytes)).toBeUndefined();
  });
});

describe('decodeResponse of 3.2 fastjson2 error replies', () => {
  it('keeps the whole message and types the error: not found → ServiceNotFoundError', () => {
    const error = errorOf(frameOf(70, body('wrong-group'))) as ServiceNotFoundError;
    expect(error).toBeInstanceOf(ServiceNotFoundError);
    expect(error.message).toMatch(/^org\.apache\.dubbo\.remoting\.RemotingException: Not found exported service: zz\//);
    expect(error.message).not.toContain('serialized with id');
  });

  it('status 40 keeps its text and is a retriable RemoteError', () => {
    const error = errorOf(frameOf(40, body('wrong-version'))) as RemoteError;
    expect(error.constructor).toBe(RemoteError);
    expect(error.message).toBe('Fail to decode request due to: RpcInvocation [methodName=$invoke, parameterTypes=null]');
    expect(error.retriable).toBe(true);
  });

  it('no such method → MethodNotFoundError', () => {
    const error = errorOf(frameOf(70, body('no-such-method'))) as MethodNotFoundError;
    expect(error).toBeInstanceOf(MethodNotFoundError);
    expect(error.code).toBe('METHOD_NOT_FOUND');
    expect(error.message).toBe('No such method get in class interface org.apache.dubbo.test.UserService');
  });

  it('an undecodable fastjson2 body still gives its printable text', () => {
    const error = errorOf(frameOf(70, framed(0x7f, 0x41, 0x42))) as RemoteError;
    expect(error.message).toContain('(body serialized with id 23)');
  });
});
