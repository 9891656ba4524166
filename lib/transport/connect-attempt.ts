import net from 'node:net';

/** One TCP connect under way: its socket, how it ends, and a way to end it early. */
export interface ConnectAttempt {
  readonly socket: net.Socket;
  /** Resolves once connected; rejects with the socket's error, the timeout, or abort()'s error. */
  readonly done: Promise<void>;
  /** Ends the attempt with `error` (no-op once settled); the socket is destroyed. */
  abort(error: Error): void;
}

/**
 * Starts a connect with a deadline. Timers run before I/O, so after an event-loop stall the
 * connect may have completed unseen when the timer fires: the deadline looks again once pending
 * I/O has run, and only a socket still connecting then has timed out. Settles once; the timer is
 * unref'd and always cleared; a late error from the destroyed socket is swallowed, never uncaught.
 */
export function startConnect(host: string, port: number, timeoutMs: number): ConnectAttempt {
  const socket = net.connect({ host, port, noDelay: true });
  let settled = false;
  let resolveDone!: () => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const finish = (): boolean => {
    if (settled) {
      return false;
    }
    settled = true;
    clearTimeout(timer);
    socket.off('connect', onConnect);
    socket.off('error', onError);
    return true;
  };
  const fail = (error: Error): void => {
    if (finish()) {
      socket.on('error', () => undefined);
      socket.destroy();
      rejectDone(error);
    }
  };
  const onError = (error: Error): void => fail(error);
  const onConnect = (): void => {
    if (finish()) {
      resolveDone();
    }
  };
  socket.once('error', onError);
  socket.once('connect', onConnect);
  const timer = setTimeout(() => {
    setImmediate(() => fail(new Error(`connect timeout after ${timeoutMs} ms`)));
  }, timeoutMs);
  timer.unref();
  return { socket, done, abort: fail };
}
