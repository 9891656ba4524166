import { describe, expect, it } from '@jest/globals';
import { MethodNotFoundError, RemoteServiceError } from '../../../lib/errors/index.js';
import { HEADER_LENGTH, ResponseStatus, writeHeader } from '../../../lib/protocol/dubbo-header.js';
import { type DubboFrame, FrameDecoder } from '../../../lib/protocol/frame-decoder.js';
import { Hessian2Encoder } from '../../../lib/protocol/hessian/hessian2-encoder.js';
import { decodeResponse } from '../../../lib/protocol/response-decoder.js';

/** A status-70 reply whose body is one Hessian string, decoded as the connection would. */
function status70(text: string): unknown {
  const enc = new Hessian2Encoder();
  enc.putBytes(Buffer.alloc(HEADER_LENGTH));
  enc.writeString(text);
  const bytes = enc.toBuffer();
  writeHeader(bytes, 0, { isRequest: false, status: ResponseStatus.SERVICE_ERROR, requestId: 3, bodyLength: bytes.length - HEADER_LENGTH });
  let frame: DubboFrame | undefined;
  new FrameDecoder((f) => (frame = f)).push(bytes);
  const decoded = decodeResponse(frame!);
  return decoded.ok ? undefined : decoded.error;
}

describe('status 70: a missing method is METHOD_NOT_FOUND, other failures stay RemoteServiceError', () => {
  it('reads the 3.x wording', () => {
    const error = status70(
      'org.apache.dubbo.rpc.RpcException: No such method get in class interface org.apache.dubbo.test.UserService\norg.apache.dubbo.rpc.RpcException: No such method get in class interface org.apache.dubbo.test.UserService\n\tat org.apache.dubbo.rpc.filter.GenericFilter.invoke(GenericFilter.java:212)',
    );
    expect(error).toBeInstanceOf(MethodNotFoundError);
    expect((error as MethodNotFoundError).message).toBe('No such method get in class interface org.apache.dubbo.test.UserService');
  });

  it('reads the 2.7 wording (the NoSuchMethodException is the cause)', () => {
    // As the 2.7.23 provider sends it, stack lines shortened.
    const error = status70(
      'org.apache.dubbo.rpc.RpcException: org.apache.dubbo.test.UserService.get(java.lang.String)\norg.apache.dubbo.rpc.RpcException: org.apache.dubbo.test.UserService.get(java.lang.String)\n\tat org.apache.dubbo.rpc.filter.GenericFilter.invoke(GenericFilter.java:126)\nCaused by: java.lang.NoSuchMethodException: org.apache.dubbo.test.UserService.get(java.lang.String)\n\t... 16 more\n',
    );
    expect(error).toBeInstanceOf(MethodNotFoundError);
    expect((error as MethodNotFoundError).message).toBe('No such method org.apache.dubbo.test.UserService.get(java.lang.String)');
  });

  it('an invalid token is not a missing method', () => {
    const error = status70(
      'org.apache.dubbo.rpc.RpcException: Invalid token! Forbid invoke remote service interface org.apache.dubbo.test.EchoService method echo() from consumer 127.0.0.1 to provider 127.0.0.1',
    );
    expect(error).toBeInstanceOf(RemoteServiceError);
    expect((error as RemoteServiceError).javaClass).toBe('org.apache.dubbo.rpc.RpcException');
  });
});
