/** What the outbox writes to: a net.Socket, or any stream-like fake. */
export interface OutboxSink {
  /** False when the kernel buffer is full; 'drain' follows when it is writable again. */
  write(data: Buffer): boolean;
  on(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

/**
 * The write batcher of one connection. Frames queued in the same tick go out in one write (one
 * buffer, concatenated only when there are several). A full kernel buffer (write() → false) holds
 * further frames until 'drain'. Without a sink (not connected yet) frames wait until `open`.
 */
export class Outbox {
  private frames: Buffer[] = [];
  private bytes = 0;
  private flushScheduled = false;
  private writable = true;
  private sink: OutboxSink | undefined;
  private readonly onTick = (): void => {
    this.flushScheduled = false;
    this.flush();
  };
  private readonly onDrain = (): void => {
    this.writable = true;
    this.flush();
  };

  /** Frames waiting to be written. */
  get length(): number {
    return this.frames.length;
  }

  /** Queues a frame; the write happens at the end of the tick (process.nextTick). */
  enqueue(frame: Buffer): void {
    this.frames.push(frame);
    this.bytes += frame.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.onTick);
    }
  }

  /** The socket is connected and ready: frames waiting and to come go to it. Does not flush by itself. */
  open(sink: OutboxSink): void {
    this.sink?.off('drain', this.onDrain);
    this.sink = sink;
    this.writable = true;
    sink.on('drain', this.onDrain);
  }

  /** Writes what waits as one buffer, unless there is no open sink or it is full. */
  flush(): void {
    const sink = this.sink;
    if (!sink || this.frames.length === 0 || !this.writable) {
      return;
    }
    const data = this.frames.length === 1 ? this.frames[0]! : Buffer.concat(this.frames, this.bytes);
    this.frames = [];
    this.bytes = 0;
    if (!sink.write(data)) {
      this.writable = false;
    }
  }

  /** Forgets the waiting frames and the sink (the socket is closing or failed to connect). Idempotent. */
  drop(): void {
    this.frames = [];
    this.bytes = 0;
    const sink = this.sink;
    if (sink) {
      this.sink = undefined;
      sink.off('drain', this.onDrain);
    }
  }
}
