import { once } from 'node:events';
import net from 'node:net';

/** `host:port` (the last colon splits, so a bracketless IPv6 host works too). */
export function hostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/**
 * A TCP server on 127.0.0.1 at a port the kernel picks: what the fake provider and the test proxies
 * share. A subclass handles each accepted socket and closes its own sockets before `closeServer()`.
 */
export abstract class LoopbackServer {
  protected readonly server: net.Server;

  protected constructor(options: net.ServerOpts = {}) {
    this.server = net.createServer(options, (socket) => this.accept(socket));
  }

  protected abstract accept(socket: net.Socket): void;

  /** Resolves once the server listens. */
  protected async listen(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Stops accepting; resolves when the last connection is gone. */
  protected closeServer(): Promise<void> {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
