import { afterEach, describe, expect, it } from '@jest/globals';
import { ConnectionClosedError } from '../../../lib/errors/connection-closed.error.js';
import { ProtocolError } from '../../../lib/errors/protocol.error.js';
import { encodeHeader } from '../../../lib/protocol/dubbo-header.js';
import { type GenericInvocation } from '../../../lib/protocol/invocation.js';
import { type ConnectionStatus, DubboConnection } from '../../../lib/transport/dubbo-connection.js';
import { FakeDubboProvider, type FakeRequest } from '../../helpers/fake-dubbo-provider.js';

const call = (arg: unknown = 'hi'): GenericInvocation => ({
  path: 'org.apache.dubbo.test.EchoService',
  version: '1.0.0',
  method: 'echo',
  parameterTypes: ['java.lang.String'],
  args: [arg],
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) {
    await cleanups.pop()!();
  }
});

async function fake(handler: (r: FakeRequest, p: FakeDubboProvider) => void): Promise<FakeDubboProvider> {
  const p = await FakeDubboProvider.start(handler);
  cleanups.push(() => p.close());
  return p;
}

function connection(p: FakeDubboProvider, extra: Partial<ConstructorParameters<typeof DubboConnection>[0]> = {}): DubboConnection {
  const c = new DubboConnection({ host: '127.0.0.1', port: p.port, reconnectBackoff: { baseMs: 5, maxMs: 10 }, ...extra });
  cleanups.push(() => c.close());
  return c;
}

function statusReached(c: DubboConnection, status: ConnectionStatus): Promise<void> {
  return new Promise((resolve) => {
    const on = (next: ConnectionStatus): void => {
      if (next === status) {
        c.off('status', on);
        resolve();
      }
    };
    c.on('status', on);
  });
}

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
    const c = connection(p, { maxPayloadBytes: 1024 });
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
    expect(err.context).toMatchObject({ service: 'org.apache.dubbo.test.EchoService', method: 'echo', maxPayloadBytes: 1024, bodyLength: 2147483647, reason: 'payload-limit' });
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
    const c = connection(p);
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
