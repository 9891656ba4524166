import { afterEach, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { ConnectionClosedError } from '../../../lib/errors/connection-closed.error.js';
import { ConnectionError } from '../../../lib/errors/connection.error.js';
import { RemoteServiceError } from '../../../lib/errors/remote-service.error.js';
import { RpcTimeoutError } from '../../../lib/errors/rpc-timeout.error.js';
import { SerializationError } from '../../../lib/errors/serialization.error.js';
import { TransportError } from '../../../lib/errors/transport.error.js';
import { ProviderBusyError } from '../../../lib/errors/provider-busy.error.js';
import { ProtocolError } from '../../../lib/errors/protocol.error.js';
import { encodeHeader } from '../../../lib/protocol/dubbo-header.js';
import { type DubboConnectionOptions } from '../../../lib/transport/connection-options.js';
import { type ConnectionStatus } from '../../../lib/transport/connection-status.js';
import { DubboConnection } from '../../../lib/transport/dubbo-connection.js';
import { type FakeDubboProvider, type FakeRequest, statusFrame } from '../../helpers/fake-dubbo-provider.js';
import { call, fake, onCleanup, recordingLogger, runCleanups, statusReached } from './transport-fixtures.js';

// Every connection of this file logs into one of these; none may log an error (an illegal status
// move of the transition table is logged at error level).
const loggers: Array<ReturnType<typeof recordingLogger>> = [];
afterEach(async () => {
  await runCleanups();
  const errors = loggers.splice(0).flatMap((l) => l.errors);
  expect(errors).toEqual([]);
});

function connection(p: FakeDubboProvider, extra: Partial<DubboConnectionOptions> = {}): DubboConnection {
  const logger = recordingLogger();
  loggers.push(logger);
  const c = new DubboConnection({ host: '127.0.0.1', port: p.port, logger, ...extra });
  onCleanup(() => c.close());
  return c;
}

describe('DubboConnection', () => {
  it('connects lazily on the first call and resolves the reply', async () => {
    const p = await fake();
    const c = connection(p);
    expect(c.status).toBe('idle');
    await expect(c.request(call('hello'))).resolves.toBe('hello');
    expect(c.status).toBe('ready');
    expect(p.requests[0]!.call).toMatchObject({
      dubboVersion: '2.0.2',
      path: 'org.apache.dubbo.test.EchoService',
      version: '1.0.0',
      method: 'echo',
      parameterTypes: ['java.lang.String'],
      args: ['hello'],
      attachments: {
        path: 'org.apache.dubbo.test.EchoService',
        interface: 'org.apache.dubbo.test.EchoService',
        version: '1.0.0',
        generic: 'true',
        timeout: '3000',
      },
    });
  });

  it('multiplexes calls on one socket and matches replies that arrive out of order', async () => {
    const held: FakeRequest[] = [];
    const p = await fake((r) => held.push(r));
    const c = connection(p);
    const results = [c.request(call('a')), c.request(call('b')), c.request(call('c'))];
    await p.until(() => held.length === 3);
    expect(p.sockets.size).toBe(1);
    for (const r of held.reverse()) {
      p.reply(r, `${String(r.call!.args[0])}!`);
    }
    await expect(Promise.all(results)).resolves.toEqual(['a!', 'b!', 'c!']);
  });

  it('writes the calls of one tick in a single batch', async () => {
    const p = await fake();
    const c = connection(p);
    await c.connect();
    let writes = 0;
    const socket = (c as unknown as { socket: net.Socket }).socket;
    const original = socket.write.bind(socket);
    socket.write = ((...args: Parameters<net.Socket['write']>) => {
      writes++;
      return original(...args);
    }) as net.Socket['write'];
    await Promise.all(Array.from({ length: 50 }, (_, i) => c.request(call(`m${i}`))));
    expect(writes).toBe(1);
  });

  it('rejects with RpcTimeoutError at the deadline and drops the late reply quietly', async () => {
    const held: FakeRequest[] = [];
    const p = await fake((r) => held.push(r));
    const c = connection(p);
    const started = Date.now();
    const error = await c.request(call('slow'), { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect((error as RpcTimeoutError).timeoutMs).toBe(100);
    expect(Date.now() - started).toBeLessThan(1000);
    p.reply(held[0]!, 'late');
    // The connection keeps working after the late reply.
    p.handler = (r, prov) => prov.reply(r, 'fresh');
    await expect(c.request(call('x'))).resolves.toBe('fresh');
    expect(c.inFlight).toBe(0);
  });

  it('fails every in-flight call at once with ConnectionClosedError when the provider disconnects', async () => {
    const p = await fake(() => undefined);
    const c = connection(p, { reconnectBackoff: { baseMs: 10, maxMs: 20 } });
    const calls = [c.request(call('1'), { timeoutMs: 30000 }), c.request(call('2'), { timeoutMs: 30000 })];
    await p.until(() => p.requests.length === 2);
    const started = Date.now();
    p.disconnectAll();
    const errors = await Promise.all(calls.map((x) => x.catch((e: unknown) => e)));
    expect(Date.now() - started).toBeLessThan(1000);
    for (const e of errors) {
      expect(e).toBeInstanceOf(ConnectionClosedError);
    }
    // And it reconnects by itself.
    await statusReached(c, 'ready');
    p.handler = (r, prov) => prov.reply(r, 'back');
    await expect(c.request(call())).resolves.toBe('back');
  });

  it('maps remote statuses to typed errors', async () => {
    const p = await fake((r) => {
      const arg = r.call!.args[0];
      if (arg === 'busy') {
        r.socket.write(statusFrame(r.id, 100, 'Server side(127.0.0.1,20880) thread pool is exhausted'));
      } else if (arg === 'svc') {
        r.socket.write(statusFrame(r.id, 70, 'org.apache.dubbo.rpc.RpcException: Invalid token! Forbid invoke remote service'));
      } else {
        r.socket.write(statusFrame(r.id, 25, 'cannot serialize'));
      }
    });
    const c = connection(p);
    await expect(c.request(call('busy'))).rejects.toBeInstanceOf(ProviderBusyError);
    const svc = await c.request(call('svc')).catch((e: unknown) => e);
    expect(svc).toBeInstanceOf(RemoteServiceError);
    expect((svc as RemoteServiceError).javaClass).toBe('org.apache.dubbo.rpc.RpcException');
    expect((svc as RemoteServiceError).remoteMessage).toContain('Invalid token');
    await expect(c.request(call('ser'))).rejects.toBeInstanceOf(SerializationError);
  });

  it('rejects a call whose arguments cannot be encoded without touching the connection', async () => {
    const p = await fake();
    const c = connection(p);
    await expect(c.request(call(2n ** 70n))).rejects.toBeInstanceOf(SerializationError);
    await expect(c.request(call('ok'))).resolves.toBe('ok');
  });

  it('bounds the calls in flight with a clear error', async () => {
    const p = await fake(() => undefined);
    const c = connection(p, { maxInFlight: 2 });
    const a = c.request(call(), { timeoutMs: 30000 }).catch((e: unknown) => e);
    const b = c.request(call(), { timeoutMs: 30000 }).catch((e: unknown) => e);
    const third = await c.request(call()).catch((e: unknown) => e);
    expect(third).toBeInstanceOf(TransportError);
    expect((third as Error).message).toMatch(/Too many calls in flight/);
    await c.close();
    expect(await a).toBeInstanceOf(ConnectionClosedError);
    expect(await b).toBeInstanceOf(ConnectionClosedError);
  });

  it('bounds the calls waiting to be written (here: while connecting) with TransportError reason max-queued', async () => {
    const p = await fake();
    const c = connection(p, { maxQueued: 2 });
    const queued = [c.request(call('q1')), c.request(call('q2'))];
    expect(c.status).toBe('connecting');
    const third = (await c.request(call('q3')).catch((e: unknown) => e)) as TransportError;
    expect(third).toBeInstanceOf(TransportError);
    expect(third.code).toBe('TRANSPORT_ERROR');
    expect(third.message).toBe(`Too many calls waiting to be written to ${p.address} (limit 2); the connection is not keeping up`);
    expect(third.context).toMatchObject({ reason: 'max-queued', method: 'echo', address: p.address });
    await expect(Promise.all(queued)).resolves.toEqual(['q1', 'q2']);
    // Written once connected: the queue is empty again.
    await expect(c.request(call('q3 again'))).resolves.toBe('q3 again');
    expect(p.requests.length).toBe(3);
  });

  it('rejects with the abort reason when the signal fires', async () => {
    const p = await fake(() => undefined);
    const c = connection(p);
    const ac = new AbortController();
    const pending = c.request(call(), { timeoutMs: 30000, signal: ac.signal });
    await p.until(() => p.requests.length === 1);
    ac.abort(new Error('user gave up'));
    await expect(pending).rejects.toThrow('user gave up');
    expect(c.inFlight).toBe(0);
  });

  it('answers the provider heartbeats with the same id', async () => {
    const p = await fake();
    const c = connection(p);
    await c.connect();
    const got = new Promise<Buffer>((resolve) => {
      const socket = [...p.sockets][0]!;
      socket.on('data', (chunk: Buffer) => resolve(chunk));
    });
    p.sendHeartbeat(BigInt('0x1234567890abcdef'));
    const frame = await got;
    expect(frame.toString('hex')).toBe('dabb22141234567890abcdef000000014e');
  });

  it('sends heartbeats when nothing is read and reconnects after three go unanswered', async () => {
    const p = await fake();
    p.answerHeartbeats = false;
    // 100 ms: a loop stalled past three intervals rightly gives up early (heartbeat.spec.ts pins the
    // exact schedule on a fake clock); here the interval leaves room for a loaded machine.
    const c = connection(p, { heartbeatIntervalMs: 100, reconnectBackoff: { baseMs: 5, maxMs: 10 } });
    await c.connect();
    const firstSocket = [...p.sockets][0];
    await statusReached(c, 'reconnecting');
    expect(p.heartbeats.length).toBeGreaterThanOrEqual(2);
    expect(p.heartbeats[0]!.frame.flag).toBe(0xe2);
    await statusReached(c, 'ready');
    // The provider may see the new connection before the old one's close: wait for both.
    await p.until(() => p.sockets.size === 1 && !p.sockets.has(firstSocket!));
    expect([...p.sockets][0]).not.toBe(firstSocket);
  });

  it('keeps a heartbeat-answering idle connection open', async () => {
    const p = await fake();
    const c = connection(p, { heartbeatIntervalMs: 30 });
    await c.connect();
    await p.until(() => p.heartbeats.length >= 4);
    expect(c.status).toBe('ready');
  });

  it('turns readonly on the provider event: no new calls, pending replies still arrive', async () => {
    const held: FakeRequest[] = [];
    const p = await fake((r) => held.push(r));
    const c = connection(p);
    const pending = c.request(call('in flight'), { timeoutMs: 30000 });
    await p.until(() => held.length === 1);
    p.sendReadonly();
    await statusReached(c, 'readonly');
    expect(c.isAvailable).toBe(false);
    await expect(c.request(call('new'))).rejects.toBeInstanceOf(ConnectionError);
    p.reply(held[0]!, 'done');
    await expect(pending).resolves.toBe('done');
  });

  it('fails queued calls with ConnectionError when the provider cannot be reached', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const logger = recordingLogger();
    loggers.push(logger);
    const c = new DubboConnection({ host: '127.0.0.1', port, reconnect: false, logger });
    onCleanup(() => c.close());
    await expect(c.request(call())).rejects.toBeInstanceOf(ConnectionError);
    expect(c.status).toBe('idle');
  });

  it('takes request ids from one counter for calls and heartbeats: 1, 2, then the heartbeat 3, then 4', async () => {
    const p = await fake();
    const c = connection(p, { heartbeatIntervalMs: 30 });
    await expect(Promise.all([c.request(call('a')), c.request(call('b'))])).resolves.toEqual(['a', 'b']);
    await p.until(() => p.heartbeats.length === 1);
    await expect(c.request(call('c'))).resolves.toBe('c');
    expect(p.requests.map((r) => r.id)).toEqual([1, 2, 4]);
    expect(p.heartbeats[0]!.id).toBe(3);
  });

  it('emits each status change with the one before it, through connect, reconnect and close', async () => {
    const p = await fake();
    const c = connection(p, { reconnectBackoff: { baseMs: 5, maxMs: 10 } });
    const moves: Array<[ConnectionStatus, ConnectionStatus]> = [];
    c.on('status', (next, previous) => moves.push([next, previous]));
    const disconnects: number[] = [];
    c.on('disconnect', () => disconnects.push(moves.length));
    await c.connect();
    const back = statusReached(c, 'reconnecting').then(() => statusReached(c, 'ready'));
    p.disconnectAll();
    await back;
    await c.close();
    expect(moves).toEqual([
      ['connecting', 'idle'],
      ['ready', 'connecting'],
      ['reconnecting', 'ready'],
      ['connecting', 'reconnecting'],
      ['ready', 'connecting'],
      ['closing', 'ready'],
      ['closed', 'closing'],
    ]);
    // 'disconnect' comes after the socket closed, before the move to reconnecting.
    expect(disconnects).toEqual([2]);
  });

  it('close() fails pending calls at once and refuses new ones', async () => {
    const p = await fake(() => undefined);
    const c = connection(p);
    const pending = c.request(call(), { timeoutMs: 30000 }).catch((e: unknown) => e);
    await p.until(() => p.requests.length === 1);
    await c.close();
    expect(await pending).toBeInstanceOf(ConnectionClosedError);
    expect(c.status).toBe('closed');
    await expect(c.request(call())).rejects.toThrow(/closed/);
  });
});

function settled(promise: Promise<unknown>): Promise<{ error?: unknown; value?: unknown; atMs: number }> {
  const started = performance.now();
  return promise.then(
    (value) => ({ value, atMs: performance.now() - started }),
    (error: unknown) => ({ error, atMs: performance.now() - started }),
  );
}

function blockEventLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // Busy: nothing else runs, as under a long synchronous task.
  }
}

describe('DubboConnection: what the provider sends that it must not', () => {
  it('fails the call of an over-limit reply header at once, naming the limit; the others may retry', async () => {
    const held: FakeRequest[] = [];
    const p = await fake((r) => held.push(r));
    const c = connection(p, { maxPayloadBytes: 1024, reconnectBackoff: { baseMs: 5, maxMs: 10 } });
    const victim = settled(c.request(call('big'), { timeoutMs: 30_000 }));
    const bystander = settled(c.request(call('small'), { timeoutMs: 30_000 }));
    await p.until(() => held.length === 2);
    const reconnecting = statusReached(c, 'reconnecting');
    // A header announcing 2 GiB, and no body: the call must not wait for it.
    held[0]!.socket.write(encodeHeader({ isRequest: false, status: 20, requestId: held[0]!.id, bodyLength: 2 ** 31 - 1 }));
    const [v, b] = await Promise.all([victim, bystander]);
    expect(v.error).toBeInstanceOf(ProtocolError);
    const err = v.error as ProtocolError;
    expect(err.code).toBe('PROTOCOL_ERROR');
    expect(err.message).toBe(
      `Frame ${String(held[0]!.id)} announces a body of 2147483647 bytes, over the payload limit of 1024 bytes (maxPayloadBytes) from ${p.address}`,
    );
    expect(err.context).toMatchObject({
      service: 'org.apache.dubbo.test.EchoService',
      method: 'echo',
      maxPayloadBytes: 1024,
      bodyLength: 2147483647,
      reason: 'payload-limit',
    });
    expect(v.atMs).toBeLessThan(1000);
    expect(b.error).toBeInstanceOf(ConnectionClosedError);
    expect((b.error as ConnectionClosedError).cause).toBeInstanceOf(ProtocolError);
    await reconnecting;
    await statusReached(c, 'ready');
    expect(c.inFlight).toBe(0);
  });

  it('fails every call in flight with the ProtocolError when the bytes are not dubbo', async () => {
    const held: FakeRequest[] = [];
    const p = await fake((r) => held.push(r));
    const c = connection(p, { reconnectBackoff: { baseMs: 5, maxMs: 10 } });
    const calls = [settled(c.request(call('a'), { timeoutMs: 30_000 })), settled(c.request(call('b'), { timeoutMs: 30_000 }))];
    await p.until(() => held.length === 2);
    held[0]!.socket.write('HTTP/1.1 400 Bad Request\r\n\r\n');
    for (const r of await Promise.all(calls)) {
      expect(r.error).toBeInstanceOf(ProtocolError);
      expect((r.error as ProtocolError).code).toBe('PROTOCOL_ERROR');
      expect((r.error as ProtocolError).message).toMatch(/^Bad frame: expected magic 0xdabb, got 0x4854/);
      expect((r.error as ProtocolError).context['address']).toBe(p.address);
    }
  });
});

describe('DubboConnection: timers that fire late look at the real state first', () => {
  it('a reply that arrived while the event loop was blocked beyond the deadline is delivered', async () => {
    const p = await fake((r, provider) => {
      provider.reply(r, 'in time');
      // The provider (same process) blocks the loop past the caller's 50 ms deadline after answering.
      blockEventLoop(200);
    });
    const c = connection(p);
    await c.connect();
    await expect(c.request(call(), { timeoutMs: 50 })).resolves.toBe('in time');
  });

  it('a connect that completed during a block longer than connectTimeoutMs is not a timeout', async () => {
    const p = await fake(() => undefined);
    const c = connection(p, { connectTimeoutMs: 30 });
    const connected = c.connect();
    blockEventLoop(150);
    await expect(connected).resolves.toBeUndefined();
    expect(c.status).toBe('ready');
  });

  it('still times out a call whose reply never comes, within a tight window', async () => {
    const p = await fake(() => undefined);
    const c = connection(p);
    await c.connect();
    const r = await settled(c.request(call(), { timeoutMs: 100 }));
    expect((r.error as { code?: string }).code).toBe('RPC_TIMEOUT');
    expect(r.atMs).toBeGreaterThanOrEqual(99);
    expect(r.atMs).toBeLessThan(180);
  });
});
