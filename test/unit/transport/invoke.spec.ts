import { afterEach, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { ConnectionError } from '../../../lib/errors/connection.error.js';
import { RemoteServiceError } from '../../../lib/errors/remote-service.error.js';
import { invoke } from '../../../lib/transport/invoke.js';
import { statusFrame } from '../../helpers/fake-dubbo-provider.js';
import { call, fake, runCleanups } from './transport-fixtures.js';

afterEach(runCleanups);

describe('invoke()', () => {
  it('makes one call on a fresh connection and closes it', async () => {
    const p = await fake();
    await expect(invoke(p.address, call('once'))).resolves.toBe('once');
    expect(p.requests.length).toBe(1);
    await p.until(() => p.sockets.size === 0);
  });

  it('closes the connection when the call fails, and passes the typed error on', async () => {
    const p = await fake((r) => r.socket.write(statusFrame(r.id, 70, 'java.lang.IllegalStateException: no')));
    const error = await invoke(p.address, call('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteServiceError);
    expect((error as RemoteServiceError).javaClass).toBe('java.lang.IllegalStateException');
    await p.until(() => p.sockets.size === 0);
  });

  it('rejects with ConnectionError (CONNECTION_FAILED) when nothing listens, without reconnecting', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await invoke(`127.0.0.1:${port}`, call()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe('CONNECTION_FAILED');
    expect((error as ConnectionError).context['address']).toBe(`127.0.0.1:${port}`);
  });
});
