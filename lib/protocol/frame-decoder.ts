import { ProtocolError } from '../errors/protocol.error.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './constants.js';
import { decodeHeader, type DubboHeader, HEADER_LENGTH, hasMagic } from './dubbo-header.js';

/** The frame of the header at `offset`: the decoded header object itself, completed (no copy). */
function readFrame(source: Buffer, offset: number): DubboFrame {
  const frame = decodeHeader(source, offset) as DubboFrame;
  frame.body = EMPTY;
  return frame;
}

export interface DubboFrame extends DubboHeader {
  /** The body. May share memory with the chunk it came in. */
  body: Buffer;
}

export interface FrameDecoderOptions {
  /** Largest body accepted, in bytes. @default 8388608 (8 MiB, as Dubbo) */
  maxPayloadBytes?: number;
}

const EMPTY = Buffer.alloc(0);

/**
 * Resumable dubbo framer: feed it arbitrary chunks with `push`, it calls `onFrame` once per whole
 * frame, in order. The payload limit is checked from the header, before any of the body is buffered:
 * a header announcing more throws a ProtocolError at once (context: requestId, bodyLength,
 * maxPayloadBytes, reason 'payload-limit') rather than waiting for — or skipping — a body that may
 * be gigabytes or never come. Bytes that cannot be a frame (bad magic, negative length) throw a
 * ProtocolError too; after any of these the decoder refuses all input.
 */
export class FrameDecoder {
  private readonly maxPayloadBytes: number;
  /** Partial header or body bytes, waiting for more input. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** The frame whose body is being collected. */
  private header: DubboFrame | undefined;
  private failure: ProtocolError | undefined;

  constructor(
    private readonly onFrame: (frame: DubboFrame) => void,
    options: FrameDecoderOptions = {},
  ) {
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  }

  /** Bytes currently held back waiting for the rest of a frame (never more than 16 + the limit). */
  get bufferedBytes(): number {
    return this.pendingLength;
  }

  push(chunk: Buffer): void {
    if (this.failure) {
      throw this.failure;
    }
    let data = chunk;
    if (this.pendingLength > 0) {
      // Only what is needed to complete the current header/body is joined; the rest stays a view.
      const need = (this.header ? this.header.bodyLength : HEADER_LENGTH) - this.pendingLength;
      if (data.length < need) {
        this.pending.push(data);
        this.pendingLength += data.length;
        return;
      }
      this.pending.push(data.subarray(0, need));
      const joined = Buffer.concat(this.pending, this.pendingLength + need);
      this.pending = [];
      this.pendingLength = 0;
      data = data.subarray(need);
      if (this.header) {
        const header = this.header;
        this.header = undefined;
        this.emit(header, joined);
      } else {
        this.startFrame(joined, 0);
      }
    }
    this.consume(data);
  }

  private consume(data: Buffer): void {
    let offset = 0;
    const length = data.length;
    while (offset < length) {
      if (this.header) {
        const need = this.header.bodyLength;
        if (length - offset < need) {
          this.hold(data.subarray(offset));
          return;
        }
        const header = this.header;
        this.header = undefined;
        const body = data.subarray(offset, offset + need);
        offset += need;
        this.emit(header, body);
        continue;
      }
      if (length - offset < HEADER_LENGTH) {
        this.hold(data.subarray(offset));
        return;
      }
      this.startFrame(data, offset);
      offset += HEADER_LENGTH;
    }
  }

  private hold(rest: Buffer): void {
    if (rest.length > 0) {
      this.pending.push(rest);
      this.pendingLength += rest.length;
    }
  }

  /** Reads a header; sets `header` to collect the body. */
  private startFrame(source: Buffer, offset: number): void {
    if (!hasMagic(source, offset)) {
      this.fail(
        new ProtocolError(
          `Bad frame: expected magic 0xdabb, got 0x${source.subarray(offset, offset + 2).toString('hex')}; the peer is not speaking the dubbo protocol or the stream lost framing`,
        ),
      );
    }
    const header = readFrame(source, offset);
    if (header.bodyLength < 0) {
      this.fail(new ProtocolError(`Bad frame: negative body length ${header.bodyLength}`, { context: { requestId: header.requestId } }));
    }
    if (this.maxPayloadBytes > 0 && header.bodyLength > this.maxPayloadBytes) {
      this.fail(
        new ProtocolError(
          `Frame ${String(header.requestId)} announces a body of ${header.bodyLength} bytes, over the payload limit of ${this.maxPayloadBytes} bytes (maxPayloadBytes)`,
          {
            context: {
              requestId: header.requestId,
              bodyLength: header.bodyLength,
              maxPayloadBytes: this.maxPayloadBytes,
              reason: 'payload-limit',
            },
          },
        ),
      );
    }
    if (header.bodyLength === 0) {
      this.emit(header, EMPTY);
      return;
    }
    this.header = header;
  }

  private emit(frame: DubboFrame, body: Buffer): void {
    frame.body = body;
    this.onFrame(frame);
  }

  private fail(error: ProtocolError): never {
    this.failure = error;
    this.pending = [];
    this.pendingLength = 0;
    this.header = undefined;
    throw error;
  }
}
