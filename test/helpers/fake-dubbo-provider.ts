import type net from 'node:net';
import { HEADER_LENGTH, type RequestId, ResponseStatus, writeHeader } from '../../lib/protocol/dubbo-header.js';
import { encodeHeartbeatResponse, encodeReadonlyEvent, encodeHeartbeatRequest } from '../../lib/protocol/events.js';
import { type DubboFrame, FrameDecoder } from '../../lib/protocol/frame-decoder.js';
import { Hessian2Decoder } from '../../lib/protocol/hessian/hessian2-decoder.js';
import { Hessian2Encoder } from '../../lib/protocol/hessian/hessian2-encoder.js';
import { LoopbackServer } from './loopback-server.js';

/** A request as the fake provider decoded it. */
export interface FakeRequest {
  frame: DubboFrame;
  id: RequestId;
  socket: net.Socket;
  /** Set for generic calls (not for events). */
  call?: {
    dubboVersion: string;
    path: string;
    version: string;
    method: string;
    parameterTypes: string[] | null;
    args: unknown[];
    attachments: Record<string, unknown>;
  };
}

export type FakeHandler = (request: FakeRequest, provider: FakeDubboProvider) => void;

/** A Hessian2 OK response frame with a value (code 4, attachments `dubbo=2.0.2`). */
export function okFrame(id: RequestId, value: unknown): Buffer {
  const enc = new Hessian2Encoder();
  enc.putBytes(Buffer.alloc(HEADER_LENGTH));
  if (value === null || value === undefined) {
    enc.writeInt(5);
  } else {
    enc.writeInt(4);
    enc.write(value);
  }
  enc.write({ dubbo: '2.0.2' });
  const frame = enc.toBuffer();
  writeHeader(frame, 0, { isRequest: false, status: ResponseStatus.OK, requestId: id, bodyLength: frame.length - HEADER_LENGTH });
  return frame;
}

/** A non-OK status frame whose body is one Hessian string. */
export function statusFrame(id: RequestId, status: number, message: string): Buffer {
  const enc = new Hessian2Encoder();
  enc.putBytes(Buffer.alloc(HEADER_LENGTH));
  enc.writeString(message);
  const frame = enc.toBuffer();
  writeHeader(frame, 0, { isRequest: false, status, requestId: id, bodyLength: frame.length - HEADER_LENGTH });
  return frame;
}

/**
 * A loopback TCP server that speaks just enough of the dubbo protocol for transport tests: it decodes
 * request frames and hands them to a scripted handler (answer, hang, disconnect, send events).
 * Heartbeat requests are answered unless `answerHeartbeats` is false.
 */
export class FakeDubboProvider extends LoopbackServer {
  readonly requests: FakeRequest[] = [];
  readonly heartbeats: FakeRequest[] = [];
  readonly sockets = new Set<net.Socket>();
  answerHeartbeats = true;
  private waiters: Array<() => void> = [];

  private constructor(public handler: FakeHandler) {
    super();
  }

  static async start(handler: FakeHandler = echoHandler): Promise<FakeDubboProvider> {
    const provider = new FakeDubboProvider(handler);
    await provider.listen();
    return provider;
  }

  protected accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder((frame) => this.onFrame(socket, frame));
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch {
        socket.destroy();
      }
    });
    this.notify();
  }

  private onFrame(socket: net.Socket, frame: DubboFrame): void {
    const request: FakeRequest = { frame, id: frame.requestId, socket };
    if (frame.isEvent) {
      this.heartbeats.push(request);
      if (this.answerHeartbeats && frame.twoWay) {
        socket.write(encodeHeartbeatResponse(frame.requestId));
      }
      this.notify();
      return;
    }
    const d = new Hessian2Decoder(frame.body);
    const dubboVersion = d.read() as string;
    const path = d.read() as string;
    const version = d.read() as string;
    d.read();
    d.read();
    const method = d.read() as string;
    const parameterTypes = d.read() as string[] | null;
    const args = d.read() as unknown[];
    const attachments = d.read() as Record<string, unknown>;
    request.call = { dubboVersion, path, version, method, parameterTypes, args, attachments };
    this.requests.push(request);
    this.notify();
    this.handler(request, this);
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      w();
    }
  }

  /** Resolves when `predicate` holds, re-checked after every connection or frame. */
  async until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) {
        throw new Error('FakeDubboProvider.until: condition not met in time');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  reply(request: FakeRequest, value: unknown): void {
    request.socket.write(okFrame(request.id, value));
  }

  sendReadonly(): void {
    for (const s of this.sockets) {
      s.write(encodeReadonlyEvent(BigInt('0x7fffffffffff0001')));
    }
  }

  sendHeartbeat(id: RequestId): void {
    for (const s of this.sockets) {
      s.write(encodeHeartbeatRequest(id));
    }
  }

  /** Drops every connection (the consumer sees the socket close). */
  disconnectAll(): void {
    for (const s of this.sockets) {
      s.destroy();
    }
  }

  async close(): Promise<void> {
    this.disconnectAll();
    await this.closeServer();
  }
}

/** Answers every call with its first argument. */
export const echoHandler: FakeHandler = (request, provider) => {
  provider.reply(request, request.call?.args[0] ?? null);
};
