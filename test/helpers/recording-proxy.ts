import net from 'node:net';
import { HEADER_LENGTH } from '../../lib/protocol/dubbo-header.js';
import { type DubboFrame, FrameDecoder } from '../../lib/protocol/frame-decoder.js';
import { hostPort, LoopbackServer } from './loopback-server.js';

export interface RecordedFrame {
  /** Index of the client connection the frame travelled on (0 = first accepted). */
  connection: number;
  direction: 'request' | 'response';
  /** The whole frame, header included, exactly as it crossed the proxy. */
  bytes: Buffer;
  frame: DubboFrame;
}

function frameBytes(frame: DubboFrame): Buffer {
  const out = Buffer.alloc(HEADER_LENGTH + frame.body.length);
  out[0] = 0xda;
  out[1] = 0xbb;
  out[2] = frame.flag;
  out[3] = frame.status;
  if (typeof frame.requestId === 'bigint') {
    out.writeBigInt64BE(frame.requestId, 4);
  } else {
    out.writeBigInt64BE(BigInt(frame.requestId), 4);
  }
  out.writeInt32BE(frame.bodyLength, 12);
  frame.body.copy(out, HEADER_LENGTH);
  return out;
}

/**
 * A loopback TCP proxy between a dubbo consumer and a provider that forwards bytes untouched and
 * records every frame in both directions (used to capture golden vectors from real Java traffic).
 */
export class RecordingProxy extends LoopbackServer {
  readonly frames: RecordedFrame[] = [];
  private readonly sockets = new Set<net.Socket>();
  private connections = 0;
  private waiters: Array<() => void> = [];

  private constructor(readonly upstream: { host: string; port: number }) {
    super();
  }

  /** `upstream` is `host:port`. */
  static async start(upstream: string): Promise<RecordingProxy> {
    const proxy = new RecordingProxy(hostPort(upstream));
    await proxy.listen();
    return proxy;
  }

  get url(): string {
    return `dubbo://127.0.0.1:${this.port}`;
  }

  /** Forgets what was recorded so far. */
  clear(): void {
    this.frames.length = 0;
  }

  protected accept(client: net.Socket): void {
    const index = this.connections++;
    const server = net.connect(this.upstream);
    this.sockets.add(client);
    this.sockets.add(server);
    const record = (direction: RecordedFrame['direction']) =>
      new FrameDecoder(
        (frame) => {
          this.frames.push({ connection: index, direction, bytes: frameBytes(frame), frame });
          this.notify();
        },
        { maxPayloadBytes: 0 },
      );
    const requests = record('request');
    const responses = record('response');
    client.on('data', (chunk: Buffer) => {
      server.write(chunk);
      requests.push(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      client.write(chunk);
      responses.push(chunk);
    });
    const close = (): void => {
      client.destroy();
      server.destroy();
    };
    for (const s of [client, server]) {
      s.on('error', close);
      s.on('close', () => {
        this.sockets.delete(s);
        close();
      });
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      w();
    }
  }

  /** Resolves once a recorded frame satisfies `predicate` (checked on every new frame); returns it. */
  waitFor(predicate: (f: RecordedFrame) => boolean, timeoutMs = 30000): Promise<RecordedFrame> {
    const found = this.frames.find(predicate);
    if (found) {
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = this.frames.find(predicate);
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
        } else {
          this.waiters.push(check);
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error('RecordingProxy.waitFor: no matching frame in time'));
      }, timeoutMs);
      this.waiters.push(check);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) {
      s.destroy();
    }
    await this.closeServer();
  }
}
