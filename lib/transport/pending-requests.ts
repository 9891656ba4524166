import { type DubboError, type DubboErrorContext } from '../errors/dubbo.error.js';
import { RpcTimeoutError } from '../errors/rpc-timeout.error.js';

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout | undefined;
  timeoutMs: number;
  context: DubboErrorContext;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Calls waiting for their reply, by request id. Each has a deadline: the timer is unref'd (a pending
 * call never keeps the process alive) and cleared as soon as the call settles, whichever way.
 */
export class PendingRequests {
  private readonly calls = new Map<number, PendingCall>();

  get size(): number {
    return this.calls.size;
  }

  has(id: number): boolean {
    return this.calls.has(id);
  }

  /** Registers a call; the promise settles by `resolve`/`reject`/`failAll`, the deadline or the signal. */
  add(id: number, timeoutMs: number, context: DubboErrorContext, signal?: AbortSignal): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const call: PendingCall = { resolve, reject, timer: undefined, timeoutMs, context, signal, onAbort: undefined };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        call.timer = setTimeout(() => this.expire(id), timeoutMs);
        call.timer.unref();
      }
      if (signal) {
        call.onAbort = () => {
          if (this.take(id)) {
            reject(abortReason(signal));
          }
        };
        signal.addEventListener('abort', call.onAbort, { once: true });
      }
      this.calls.set(id, call);
    });
  }

  /** The call's context (service, method…) without settling it. */
  context(id: number): DubboErrorContext | undefined {
    return this.calls.get(id)?.context;
  }

  timeoutOf(id: number): number | undefined {
    return this.calls.get(id)?.timeoutMs;
  }

  /** False when no call waits for this id (a late reply after its timeout: dropped by the caller). */
  resolve(id: number, value: unknown): boolean {
    const call = this.take(id);
    if (!call) {
      return false;
    }
    call.resolve(value);
    return true;
  }

  reject(id: number, error: unknown): boolean {
    const call = this.take(id);
    if (!call) {
      return false;
    }
    call.reject(error);
    return true;
  }

  /** Rejects every waiting call at once; `make` builds each call's error from its context. */
  failAll(make: (context: DubboErrorContext) => DubboError): void {
    if (this.calls.size === 0) {
      return;
    }
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const call of calls) {
      this.cleanup(call);
      call.reject(make(call.context));
    }
  }

  private take(id: number): PendingCall | undefined {
    const call = this.calls.get(id);
    if (call) {
      this.calls.delete(id);
      this.cleanup(call);
    }
    return call;
  }

  private cleanup(call: PendingCall): void {
    if (call.timer) {
      clearTimeout(call.timer);
      call.timer = undefined;
    }
    if (call.signal && call.onAbort) {
      call.signal.removeEventListener('abort', call.onAbort);
      call.onAbort = undefined;
    }
  }

  /**
   * The deadline timer fired. Timers run before I/O, so after an event-loop stall the reply may be
   * waiting unread: it is read first (setImmediate runs after pending I/O), then the call times out.
   */
  private expire(id: number): void {
    const call = this.calls.get(id);
    if (call === undefined) {
      return;
    }
    call.timer = undefined;
    setImmediate(() => {
      if (this.calls.get(id) === call) {
        this.timeOut(id);
      }
    });
  }

  private timeOut(id: number): void {
    const call = this.take(id);
    if (!call) {
      return;
    }
    const where = call.context.address ? ` on ${String(call.context.address)}` : '';
    const what = call.context.service ? `${String(call.context.service)}.${String(call.context.method)}` : 'call';
    call.reject(
      new RpcTimeoutError(call.timeoutMs, `No reply to ${what}${where} within ${call.timeoutMs} ms; the provider may still run it`, {
        context: call.context,
      }),
    );
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The call was aborted', 'AbortError');
}
