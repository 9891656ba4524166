import net from 'node:net';
import { hostPort, LoopbackServer } from './loopback-server.js';

/**
 * A loopback TCP forwarder that can be frozen: while frozen no byte crosses in either direction and
 * new connections are held without reaching the upstream. A client behind it is cut off from its
 * server without being told, the way a network partition does it, so a test can act on the server
 * (close the client's ZooKeeper session, say) with no race against the client's own reconnects.
 */
export class FreezableProxy extends LoopbackServer {
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private frozen = false;
  private readonly held: net.Socket[] = [];

  private constructor(private readonly upstream: { host: string; port: number }) {
    super({ pauseOnConnect: true });
  }

  /** `upstream` is `host:port`. */
  static async start(upstream: string): Promise<FreezableProxy> {
    const proxy = new FreezableProxy(hostPort(upstream));
    await proxy.listen();
    return proxy;
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

  protected accept(client: net.Socket): void {
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
    await this.closeServer();
  }
}
