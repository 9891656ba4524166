import { once } from 'node:events';
import net from 'node:net';

/**
 * A loopback TCP forwarder that can be frozen: while frozen no byte crosses in either direction and
 * new connections are held without reaching the upstream. A client behind it is cut off from its
 * server without being told, the way a network partition does it, so a test can act on the server
 * (close the client's ZooKeeper session, say) with no race against the client's own reconnects.
 */
export class FreezableProxy {
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private frozen = false;
  private readonly held: net.Socket[] = [];

  private constructor(
    private readonly server: net.Server,
    private readonly upstream: { host: string; port: number },
  ) {}

  /** `upstream` is `host:port`. */
  static async start(upstream: string): Promise<FreezableProxy> {
    const colon = upstream.lastIndexOf(':');
    const server = net.createServer({ pauseOnConnect: true });
    const proxy = new FreezableProxy(server, { host: upstream.slice(0, colon), port: Number(upstream.slice(colon + 1)) });
    server.on('connection', (client) => proxy.accept(client));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Connections currently forwarded or held. */
  get connections(): number {
    return this.pairs.size;
  }

  freeze(): void {
    this.frozen = true;
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream.pause();
    }
  }

  thaw(): void {
    this.frozen = false;
    for (const pair of this.pairs) {
      pair.client.resume();
      pair.upstream.resume();
    }
    for (const client of this.held.splice(0)) {
      this.forward(client);
    }
  }

  private accept(client: net.Socket): void {
    if (this.frozen) {
      this.held.push(client);
      client.on('error', () => client.destroy());
      return;
    }
    this.forward(client);
  }

  private forward(client: net.Socket): void {
    if (client.destroyed) {
      return;
    }
    const upstream = net.connect(this.upstream);
    const pair = { client, upstream };
    this.pairs.add(pair);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const close = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on('error', close);
      s.on('end', close);
      s.on('close', close);
    }
    client.resume();
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    for (const client of this.held.splice(0)) {
      client.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
