import { HEARTBEAT_MISSES_BEFORE_CLOSE } from './defaults.js';

/** What the heartbeat needs from its connection. */
export interface HeartbeatTarget {
  /** A fresh request id. Heartbeats take theirs from the connection's one counter, as Dubbo's do. */
  takeId(): number;
  /** Queues a heartbeat request with this id. */
  sendHeartbeat(id: number): void;
  /** Closes the socket: nothing was read for `HEARTBEAT_MISSES_BEFORE_CLOSE` intervals. */
  destroy(reason: string): void;
}

/**
 * Liveness of one connected socket. Any read counts (`noteRead`), not just heartbeat replies. After
 * each interval without reads a heartbeat request goes out; after three silent intervals the socket
 * is destroyed (the connection then reconnects or goes idle).
 *
 * The timer fires at lastRead + interval and is unref'd. The check itself runs after pending I/O
 * (setImmediate): timers run before I/O, so replies that arrived while the event loop was blocked
 * are read before the connection is judged silent.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private check: NodeJS.Immediate | undefined;
  private lastReadAt = 0;
  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.check = setImmediate(this.onCheck);
  };
  private readonly onCheck = (): void => {
    this.check = undefined;
    this.beat();
  };

  constructor(
    private readonly target: HeartbeatTarget,
    private readonly intervalMs: number,
  ) {}

  /** The socket is connected: counts as a read, and the first check is one interval away. */
  start(): void {
    this.lastReadAt = Date.now();
    this.schedule(this.intervalMs);
  }

  /** Bytes came in. Called on every chunk: one clock read, nothing else. */
  noteRead(): void {
    this.lastReadAt = Date.now();
  }

  /** The socket is gone: no timer and no pending check is left. Idempotent. */
  stop(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.check) {
      clearImmediate(this.check);
      this.check = undefined;
    }
  }

  private schedule(delayMs: number): void {
    this.stop();
    this.timer = setTimeout(this.onTimer, Math.max(1, delayMs));
    this.timer.unref();
  }

  private beat(): void {
    const interval = this.intervalMs;
    const idle = Date.now() - this.lastReadAt;
    if (idle < interval) {
      this.schedule(interval - idle);
      return;
    }
    if (idle >= interval * HEARTBEAT_MISSES_BEFORE_CLOSE) {
      this.target.destroy(`nothing read for ${idle} ms (${HEARTBEAT_MISSES_BEFORE_CLOSE} heartbeats missed)`);
      return;
    }
    this.target.sendHeartbeat(this.target.takeId());
    this.schedule(interval - (idle % interval) || interval);
  }
}
