import { afterEach, describe, expect, it } from '@jest/globals';
import { ClientClosedError } from '../../../lib/errors/client-closed.error.js';
import { type FakeRequest } from '../../helpers/fake-dubbo-provider.js';
import { ConnectionPool, parseAddress } from '../../../lib/transport/connection-pool.js';
import { call, fake, onCleanup, runCleanups } from './transport-fixtures.js';

afterEach(runCleanups);

function pool(options: ConstructorParameters<typeof ConnectionPool>[0] = {}): ConnectionPool {
  const created = new ConnectionPool(options);
  onCleanup(() => created.close());
  return created;
}

describe('ConnectionPool', () => {
  it('shares one connection per address and closes it when the last lease is released', async () => {
    const p = await fake();
    const shared = pool();
    const a = shared.acquire(p.address);
    const b = shared.acquire(p.address);
    await expect(a.request(call('1'))).resolves.toBe('1');
    await expect(b.request(call('2'))).resolves.toBe('2');
    expect(p.sockets.size).toBe(1);
    expect(shared.snapshot()).toEqual([{ address: p.address, refs: 2, connections: [{ status: 'ready', inFlight: 0 }] }]);
    await a.release();
    await a.release();
    expect(shared.snapshot()[0]!.refs).toBe(1);
    await b.release();
    expect(shared.snapshot()).toEqual([]);
    await p.until(() => p.sockets.size === 0);
  });

  it('opens `connections` connections per address and spreads calls over them', async () => {
    const p = await fake();
    const lease = pool({ connections: 3 }).acquire(p.address);
    await Promise.all(Array.from({ length: 9 }, (_, i) => lease.request(call(String(i)))));
    expect(p.sockets.size).toBe(3);
    expect(p.requests.length).toBe(9);
    await lease.release();
  });

  it('lease.acceptsCalls: true while idle (calls queue), false once the provider is readonly, false after release', async () => {
    const held: FakeRequest[] = [];
    const p = await fake((r) => held.push(r));
    const lease = pool().acquire(p.address);
    expect(lease.acceptsCalls).toBe(true);
    const pending = lease.request(call('queued'), { timeoutMs: 30_000 });
    expect(lease.acceptsCalls).toBe(true);
    await p.until(() => held.length === 1);
    expect(lease.acceptsCalls).toBe(true);
    // Frames arrive in order: once the reply is in, the readonly event before it has been read.
    p.sendReadonly();
    p.reply(held[0]!, 'answered');
    await expect(pending).resolves.toBe('answered');
    expect(lease.acceptsCalls).toBe(false);
    await expect(lease.whenReady(0)).resolves.toBe(false);
    await lease.release();
    expect(lease.acceptsCalls).toBe(false);
  });

  it('whenReady: false at once when idle and ms is 0, true as soon as a connection is ready', async () => {
    const p = await fake();
    const lease = pool().acquire(p.address);
    await expect(lease.whenReady(0)).resolves.toBe(false);
    const ready = lease.whenReady(5000);
    const reply = lease.request(call('wake'));
    await expect(ready).resolves.toBe(true);
    await expect(reply).resolves.toBe('wake');
    await lease.release();
  });

  it('whenReady: false when the signal aborts, and when the lease is released while waiting', async () => {
    const p = await fake();
    const lease = pool().acquire(p.address);
    const ac = new AbortController();
    const aborted = lease.whenReady(30_000, ac.signal);
    ac.abort();
    await expect(aborted).resolves.toBe(false);
    const waiting = lease.whenReady(30_000);
    await lease.release();
    await expect(waiting).resolves.toBe(false);
  });

  it('refuses to acquire after close() with ClientClosedError', async () => {
    const closed = pool();
    await closed.close();
    expect(() => closed.acquire('127.0.0.1:20880')).toThrow(ClientClosedError);
    expect(() => closed.acquire('127.0.0.1:20880')).toThrow('The connection pool is closed');
  });
});

describe('parseAddress', () => {
  it('splits host:port, IPv6 in brackets included, and rejects anything else with TypeError', () => {
    expect(parseAddress('127.0.0.1:20880')).toEqual({ host: '127.0.0.1', port: 20880 });
    expect(parseAddress('[::1]:20880')).toEqual({ host: '::1', port: 20880 });
    for (const bad of ['127.0.0.1', ':20880', '127.0.0.1:0', '127.0.0.1:65536', '127.0.0.1:x']) {
      expect(() => parseAddress(bad)).toThrow(new TypeError(`not a host:port address: '${bad}'`));
    }
  });
});
