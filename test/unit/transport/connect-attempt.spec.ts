import { afterEach, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { startConnect } from '../../../lib/transport/connect-attempt.js';
import { freePort } from '../../../tools/dubbo-env/ports.js';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.destroy());
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function listening(): Promise<number> {
  const server = net.createServer((s) => sockets.push(s));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as net.AddressInfo).port;
}

function blockFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // a stalled event loop
  }
}

describe('startConnect', () => {
  it('resolves once connected and leaves no listener of its own on the socket', async () => {
    const attempt = startConnect('127.0.0.1', await listening(), 1000);
    sockets.push(attempt.socket);
    await attempt.done;
    expect(attempt.socket.listenerCount('error')).toBe(0);
    expect(attempt.socket.listenerCount('connect')).toBe(0);
    attempt.abort(new Error('late'));
    expect(attempt.socket.destroyed).toBe(false);
  });

  it('rejects with the socket error when refused', async () => {
    const attempt = startConnect('127.0.0.1', await freePort(), 1000);
    await expect(attempt.done).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(attempt.socket.destroyed).toBe(true);
  });

  it('abort() rejects with its error and destroys the socket; a later socket error is swallowed', async () => {
    const attempt = startConnect('127.0.0.1', await listening(), 1000);
    const error = new Error('closed while connecting');
    attempt.abort(error);
    await expect(attempt.done).rejects.toBe(error);
    expect(attempt.socket.destroyed).toBe(true);
    expect(() => attempt.socket.emit('error', new Error('late'))).not.toThrow();
  });

  it('a connect that completed during a stall longer than the deadline is not a timeout', async () => {
    const attempt = startConnect('127.0.0.1', await listening(), 5);
    sockets.push(attempt.socket);
    blockFor(50);
    await expect(attempt.done).resolves.toBeUndefined();
  });
});
