import { describe, expect, it } from '@jest/globals';
import {
  ClientClosedError,
  ConnectionClosedError,
  ConnectionError,
  DubboConfigError,
  DubboError,
  MethodNotFoundError,
  NoProviderError,
  ProtocolError,
  ProviderBusyError,
  RegistryConnectionError,
  RegistryError,
  RegistrySessionExpiredError,
  RemoteError,
  RemoteServiceError,
  RpcTimeoutError,
  SerializationError,
  ServiceNotFoundError,
  TransportError,
} from 'nestjs-dubbo-generic';

describe('DubboError hierarchy', () => {
  const cause = new Error('root cause');
  const cases: Array<[DubboError, string, string, boolean, Array<abstract new (...a: never[]) => unknown>]> = [
    [new DubboConfigError('registry.address', 'must be host:port'), 'DubboConfigError', 'CONFIG_INVALID', false, []],
    [new RegistryConnectionError('down', { cause }), 'RegistryConnectionError', 'REGISTRY_CONNECTION', true, [RegistryError]],
    [new RegistrySessionExpiredError('expired'), 'RegistrySessionExpiredError', 'REGISTRY_SESSION_EXPIRED', true, [RegistryError]],
    [new NoProviderError('none'), 'NoProviderError', 'NO_PROVIDER', true, []],
    [new ConnectionError('refused'), 'ConnectionError', 'CONNECTION_FAILED', true, [TransportError]],
    [new ConnectionClosedError('closed'), 'ConnectionClosedError', 'CONNECTION_CLOSED', true, [TransportError]],
    [new ProtocolError('bad magic'), 'ProtocolError', 'PROTOCOL_ERROR', false, []],
    [new SerializationError('bad hessian'), 'SerializationError', 'SERIALIZATION_ERROR', false, []],
    [new RpcTimeoutError(300, 'late'), 'RpcTimeoutError', 'RPC_TIMEOUT', true, []],
    [new ServiceNotFoundError(60, 'no such service'), 'ServiceNotFoundError', 'SERVICE_NOT_FOUND', true, [RemoteError]],
    [
      new MethodNotFoundError(70, 'No such method get in class interface x.UserService'),
      'MethodNotFoundError',
      'METHOD_NOT_FOUND',
      false,
      [RemoteError],
    ],
    [new RemoteError(40, 'Fail to decode request due to: …'), 'RemoteError', 'REMOTE_ERROR', true, []],
    [new RemoteError(70, 'org.apache.dubbo.rpc.RpcException: Invalid token!'), 'RemoteError', 'REMOTE_ERROR', false, []],
    [new ProviderBusyError(100, 'busy'), 'ProviderBusyError', 'PROVIDER_BUSY', true, [RemoteError]],
    [
      new RemoteServiceError(20, { javaClass: 'java.lang.IllegalStateException', remoteMessage: 'x' }),
      'RemoteServiceError',
      'REMOTE_SERVICE_ERROR',
      false,
      [RemoteError],
    ],
    [
      new RemoteServiceError(40, { javaClass: 'org.apache.dubbo.rpc.RpcException' }),
      'RemoteServiceError',
      'REMOTE_SERVICE_ERROR',
      false,
      [RemoteError],
    ],
    [new ClientClosedError(), 'ClientClosedError', 'CLIENT_CLOSED', false, []],
    [new RegistryError('acl'), 'RegistryError', 'REGISTRY_ERROR', true, []],
    [new TransportError('max-in-flight'), 'TransportError', 'TRANSPORT_ERROR', true, []],
  ];

  it.each(cases)('%p has name, code, retriable and its ancestry', (err, name, code, retriable, ancestors) => {
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(DubboError);
    for (const ancestor of ancestors) {
      expect(err).toBeInstanceOf(ancestor);
    }
    expect(err.name).toBe(name);
    expect(err.code).toBe(code);
    expect(err.retriable).toBe(retriable);
    expect(String(err)).toContain(name);
  });

  it('keeps the cause and the context', () => {
    const err = new RegistryConnectionError('ZooKeeper 127.0.0.1:1 unreachable', {
      cause,
      context: { address: '127.0.0.1:1' },
    });
    expect(err.cause).toBe(cause);
    expect(err.context).toEqual({ address: '127.0.0.1:1' });
    expect(err.toJSON()).toMatchObject({ code: 'REGISTRY_CONNECTION', retriable: true, context: { address: '127.0.0.1:1' } });
  });

  it('names the offending option in DubboConfigError', () => {
    const err = new DubboConfigError('defaults.timeoutMs', 'must be a positive integer, got -1');
    expect(err.key).toBe('defaults.timeoutMs');
    expect(err.message).toBe("Invalid option 'defaults.timeoutMs': must be a positive integer, got -1");
  });

  it('builds RemoteServiceError messages from the Java class and message', () => {
    const err = new RemoteServiceError(20, {
      javaClass: 'org.apache.dubbo.test.BusinessException',
      remoteMessage: 'boom',
      javaStack: 'at x',
    });
    expect(err.message).toBe('org.apache.dubbo.test.BusinessException: boom');
    expect(err.status).toBe(20);
    expect(err.javaStack).toBe('at x');
  });

  it('carries timeoutMs on RpcTimeoutError', () => {
    expect(new RpcTimeoutError(250, 'no reply').timeoutMs).toBe(250);
  });
});
