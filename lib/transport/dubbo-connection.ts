import { EventEmitter } from 'node:events';
import net from 'node:net';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_TIMEOUT_MS,
} from '../dubbo-generic.constants.js';
import { ClientClosedError } from '../errors/client-closed.error.js';
import { ConnectionClosedError } from '../errors/connection-closed.error.js';
import { ConnectionError } from '../errors/connection.error.js';
import { type DubboErrorContext } from '../errors/dubbo.error.js';
import { ProtocolError } from '../errors/protocol.error.js';
import { TransportError } from '../errors/transport.error.js';
import { type DubboLogger, silentLogger } from '../logging/logger.js';
import { type RequestId } from '../protocol/dubbo-header.js';
import { classifyFrame, encodeHeartbeatRequest, encodeHeartbeatResponse } from '../protocol/events.js';
import { type DubboFrame, FrameDecoder } from '../protocol/frame-decoder.js';
import { type RpcInvocation } from '../protocol/invocation.js';
import { type PreparedService, RequestEncoder } from '../protocol/request-encoder.js';
import { decodeResponse } from '../protocol/response-decoder.js';
import { type BackoffOptions, backoffDelay } from '../utils/backoff.util.js';
import { withoutStack } from './cheap-error.js';
import { PendingRequests } from './pending-requests.js';

/**
 * idle → connecting → ready ⇄ readonly; ready/readonly → reconnecting → connecting …;
 * any → closing → closed (final).
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'ready' | 'readonly' | 'reconnecting' | 'closing' | 'closed';

export interface DubboConnectionOptions {
  host: string;
  port: number;
  /** @default 3000 */
  connectTimeoutMs?: number;
  /** A heartbeat goes out after this long without reads; 3 missed close the connection. @default 60000 */
  heartbeatIntervalMs?: number;
  /** Largest response body accepted. @default 8 MiB */
  maxPayloadBytes?: number;
  /** Calls awaiting a reply before new calls fail fast. @default 10000 */
  maxInFlight?: number;
  /** Encoded calls waiting for the socket (connecting, or kernel buffer full) before new calls fail fast. @default 10000 */
  maxQueued?: number;
  /** Reconnect after an unexpected close. @default true */
  reconnect?: boolean;
  reconnectBackoff?: BackoffOptions;
  logger?: DubboLogger;
}

export interface RequestOptions {
  /** Deadline of this call. @default 3000 */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The service's prepared prefix, when the caller keeps one per reference. */
  prepared?: PreparedService;
}

/** Ids stay below 2^53 so they are plain numbers; wrapping there is centuries away. */
const MAX_ID = Number.MAX_SAFE_INTEGER;

/**
 * One TCP connection to one provider, multiplexing calls by request id. Frames written in the same
 * tick go out in one write; a full kernel buffer (write() → false) holds further frames until
 * 'drain'. Every call has a deadline; a close or error fails every pending call at once.
 */
export class DubboConnection extends EventEmitter {
  readonly address: string;
  private statusValue: ConnectionStatus = 'idle';
  private socket: net.Socket | undefined;
  private decoder: FrameDecoder | undefined;
  private readonly encoder: RequestEncoder;
  private readonly pending = new PendingRequests();
  private nextId = 1;
  private outbox: Buffer[] = [];
  private outboxBytes = 0;
  private flushScheduled = false;
  private socketWritable = true;
  private connectPromise: Promise<void> | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private abortConnect: ((error: Error) => void) | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private reconnectAttempts = 0;
  private lastReadAt = 0;
  private closedPromise: Promise<void> | undefined;
  /** The protocol violation that made us close the socket; its calls fail with it. */
  private protocolFailure: ProtocolError | undefined;
  private readonly logger: DubboLogger;
  private readonly opts: Required<Omit<DubboConnectionOptions, 'logger' | 'reconnectBackoff'>> & { reconnectBackoff: BackoffOptions };

  constructor(options: DubboConnectionOptions) {
    super();
    this.opts = {
      host: options.host,
      port: options.port,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
      maxQueued: options.maxQueued ?? DEFAULT_MAX_IN_FLIGHT,
      reconnect: options.reconnect ?? true,
      reconnectBackoff: options.reconnectBackoff ?? {},
    };
    this.address = `${options.host}:${options.port}`;
    this.logger = options.logger ?? silentLogger;
    this.encoder = new RequestEncoder({ maxPayloadBytes: this.opts.maxPayloadBytes });
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** Ready for new calls (connected and not marked readonly by the provider). */
  get isAvailable(): boolean {
    return this.statusValue === 'ready';
  }

  /** Whether request() would take a call now: ready, or not connected yet (the call waits for it). */
  get acceptsCalls(): boolean {
    const s = this.statusValue;
    return s === 'ready' || s === 'idle' || s === 'connecting';
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private setStatus(next: ConnectionStatus): void {
    const from = this.statusValue;
    if (from === next) {
      return;
    }
    this.statusValue = next;
    this.logger.debug?.(`dubbo connection ${this.address}: ${from} → ${next}`);
    this.emit('status', next, from);
  }

  /** Connects (once; concurrent callers share the attempt). Rejects with ConnectionError. */
  connect(): Promise<void> {
    switch (this.statusValue) {
      case 'ready':
      case 'readonly':
        return Promise.resolve();
      case 'connecting':
        return this.connectPromise!;
      case 'closing':
      case 'closed':
        return Promise.reject(new ClientClosedError(`Connection to ${this.address} is closed`, { context: { address: this.address } }));
      default:
        break;
    }
    this.clearReconnectTimer();
    this.setStatus('connecting');
    this.connectPromise = new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: this.opts.host, port: this.opts.port, noDelay: true });
      this.socket = socket;
      this.socketWritable = true;
      const decoder = new FrameDecoder((frame) => this.onFrame(frame), { maxPayloadBytes: this.opts.maxPayloadBytes });
      this.decoder = decoder;
      const fail = (error: Error): void => {
        this.abortConnect = undefined;
        socket.off('connect', onConnect);
        this.clearConnectTimer();
        socket.destroy();
        if (this.socket === socket) {
          this.socket = undefined;
          this.decoder = undefined;
        }
        const err = new ConnectionError(`Cannot connect to ${this.address}: ${error.message}`, { cause: error, context: { address: this.address } });
        this.connectPromise = undefined;
        this.dropOutbox();
        this.pending.failAll((context) => new ConnectionError(err.message, { cause: error, context }));
        if (this.statusValue === 'connecting') {
          this.scheduleReconnect();
        }
        reject(err);
      };
      const onError = (error: Error): void => fail(error);
      const onConnect = (): void => {
        this.abortConnect = undefined;
        socket.off('error', onError);
        this.clearConnectTimer();
        this.connectPromise = undefined;
        this.reconnectAttempts = 0;
        this.attach(socket, decoder);
        this.setStatus('ready');
        this.flush();
        resolve();
      };
      socket.once('error', onError);
      socket.once('connect', onConnect);
      this.abortConnect = (error) => {
        socket.off('error', onError);
        socket.on('error', () => undefined);
        fail(error);
      };
      this.connectTimer = setTimeout(() => {
        // Timers run before I/O: after an event-loop stall the connect may have completed unseen.
        // Look again once pending I/O has run; only a socket still connecting then has timed out.
        setImmediate(() => {
          // A late error from the destroyed socket must not become an uncaught exception.
          this.abortConnect?.(new Error(`connect timeout after ${this.opts.connectTimeoutMs} ms`));
        });
      }, this.opts.connectTimeoutMs);
      this.connectTimer.unref();
    });
    return this.connectPromise;
  }

  private attach(socket: net.Socket, decoder: FrameDecoder): void {
    this.lastReadAt = Date.now();
    const onData = (chunk: Buffer): void => {
      this.lastReadAt = Date.now();
      try {
        decoder.push(chunk);
      } catch (err) {
        // Framing is lost (or a frame is over the limit): nothing more on this socket can be trusted.
        const failure = err instanceof ProtocolError ? err : new ProtocolError(String(err), { cause: err });
        this.logger.warn(`dubbo connection ${this.address}: ${failure.message}; closing it`);
        if (this.socket === socket) {
          this.protocolFailure = failure;
        }
        socket.destroy();
      }
    };
    const onDrain = (): void => {
      this.socketWritable = true;
      this.flush();
    };
    const onError = (err: Error): void => {
      this.logger.warn(`dubbo connection ${this.address}: ${err.message}`);
    };
    const onClose = (): void => {
      socket.off('data', onData);
      socket.off('drain', onDrain);
      socket.off('error', onError);
      socket.off('close', onClose);
      this.onSocketClosed(socket);
    };
    socket.on('data', onData);
    socket.on('drain', onDrain);
    socket.on('error', onError);
    socket.on('close', onClose);
    this.scheduleHeartbeat(this.opts.heartbeatIntervalMs);
  }

  private onSocketClosed(socket: net.Socket): void {
    if (this.socket !== socket) {
      return;
    }
    this.socket = undefined;
    this.decoder = undefined;
    this.clearHeartbeat();
    this.dropOutbox();
    const closing = this.statusValue === 'closing' || this.statusValue === 'closed';
    const failure = this.protocolFailure;
    this.protocolFailure = undefined;
    if (failure !== undefined) {
      this.failForProtocol(failure);
    }
    this.pending.failAll(
      (context) =>
        new ConnectionClosedError(`Connection to ${this.address} closed with the call in flight; the provider may or may not have run it`, {
          context,
          cause: failure,
        }),
    );
    if (closing) {
      return;
    }
    this.emit('disconnect');
    this.scheduleReconnect();
  }

  /**
   * A reply over the payload limit fails its own call with the limit named (the others on the
   * connection get ConnectionClosedError, retriable); bytes that are not dubbo at all fail every call
   * in flight with the ProtocolError, since any of them may have been the one answered.
   */
  private failForProtocol(failure: ProtocolError): void {
    const reason = failure.context['reason'];
    const make = (context: DubboErrorContext): ProtocolError =>
      new ProtocolError(`${failure.message} from ${this.address}`, { cause: failure, context: { ...context, ...failure.context } });
    if (reason === 'payload-limit') {
      const id = toLocalId(failure.context.requestId as RequestId);
      if (id !== undefined && this.pending.has(id)) {
        this.pending.reject(id, make(this.pending.context(id) ?? {}));
      }
      return;
    }
    this.pending.failAll(make);
  }

  private scheduleReconnect(): void {
    if (!this.opts.reconnect || this.statusValue === 'closing' || this.statusValue === 'closed') {
      if (this.statusValue !== 'closing' && this.statusValue !== 'closed') {
        this.setStatus('idle');
      }
      return;
    }
    const delay = backoffDelay(this.reconnectAttempts++, this.opts.reconnectBackoff);
    this.setStatus('reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().catch((err: unknown) => {
        this.logger.debug?.(`dubbo connection ${this.address}: reconnect failed: ${(err as Error).message}`);
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  /**
   * Sends one generic call and resolves with its decoded result, or rejects with a typed error:
   * RemoteServiceError, RpcTimeoutError, ConnectionClosedError, ConnectionError, SerializationError…
   */
  request(invocation: RpcInvocation, options: RequestOptions = {}): Promise<unknown> {
    const status = this.statusValue;
    const context: DubboErrorContext = {
      service: invocation.path,
      method: invocation.method,
      version: invocation.version,
      group: invocation.group,
      address: this.address,
    };
    if (status !== 'ready') {
      const refusal = withoutStack(() => this.refusal(status, context));
      if (refusal) {
        return Promise.reject(refusal);
      }
    }
    if (options.signal?.aborted) {
      return Promise.reject(options.signal.reason ?? new DOMException('The call was aborted', 'AbortError'));
    }
    if (this.pending.size >= this.opts.maxInFlight) {
      return Promise.reject(
        withoutStack(
          () =>
            new TransportError(`Too many calls in flight on ${this.address} (limit ${this.opts.maxInFlight}); slow down or add connections`, {
              context: { ...context, reason: 'max-in-flight' },
            }),
        ),
      );
    }
    if (this.outbox.length >= this.opts.maxQueued) {
      return Promise.reject(
        withoutStack(
          () =>
            new TransportError(`Too many calls waiting to be written to ${this.address} (limit ${this.opts.maxQueued}); the connection is not keeping up`, {
              context: { ...context, reason: 'max-queued' },
            }),
        ),
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const id = this.nextId;
    this.nextId = id >= MAX_ID ? 1 : id + 1;
    context.requestId = id;
    let frame: Buffer;
    try {
      frame = this.encoder.encode(id, invocation, timeoutMs, options.prepared);
    } catch (err) {
      return Promise.reject(err);
    }
    const result = this.pending.add(id, timeoutMs, context, options.signal);
    this.enqueue(frame);
    if (status === 'idle') {
      this.connect().catch(() => undefined);
    }
    return result;
  }

  /** Why a new call cannot go out now, or undefined when it can (queued while connecting). */
  private refusal(status: ConnectionStatus, context: DubboErrorContext): Error | undefined {
    switch (status) {
      case 'idle':
      case 'connecting':
        return undefined;
      case 'readonly':
        return new ConnectionError(`Provider ${this.address} is shutting down (readonly); no new calls on this connection`, {
          context: { ...context, reason: 'readonly' },
        });
      case 'reconnecting':
        return new ConnectionError(`Connection to ${this.address} is down; reconnecting`, { context: { ...context, reason: 'reconnecting' } });
      default:
        return new ClientClosedError(`Connection to ${this.address} is closed`, { context });
    }
  }

  private enqueue(frame: Buffer): void {
    this.outbox.push(frame);
    this.outboxBytes += frame.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** Writes what waits in the outbox as one buffer, unless the socket is not ready or full. */
  private flush(): void {
    const socket = this.socket;
    if (!socket || this.outbox.length === 0 || !this.socketWritable || (this.statusValue !== 'ready' && this.statusValue !== 'readonly')) {
      return;
    }
    const data = this.outbox.length === 1 ? this.outbox[0]! : Buffer.concat(this.outbox, this.outboxBytes);
    this.outbox = [];
    this.outboxBytes = 0;
    if (!socket.write(data)) {
      this.socketWritable = false;
    }
  }

  private dropOutbox(): void {
    this.outbox = [];
    this.outboxBytes = 0;
  }

  private onFrame(frame: DubboFrame): void {
    switch (classifyFrame(frame)) {
      case 'response':
        this.onResponse(frame);
        return;
      case 'heartbeat-request':
        if (frame.twoWay) {
          this.enqueue(encodeHeartbeatResponse(frame.requestId));
        }
        return;
      case 'readonly':
        if (this.statusValue === 'ready') {
          this.setStatus('readonly');
          this.emit('readonly');
        }
        return;
      case 'writable':
        if (this.statusValue === 'readonly') {
          this.setStatus('ready');
        }
        return;
      case 'heartbeat-response':
        // Liveness is already noted by the read; the event is for observers.
        this.emit('heartbeat');
        return;
      default:
        return;
    }
  }

  private onResponse(frame: DubboFrame): void {
    const id = toLocalId(frame.requestId);
    if (id === undefined || !this.pending.has(id)) {
      // A reply after its call timed out (or to an id we never sent): dropped quietly, as Java does.
      return;
    }
    // The error context is built only when the reply is an error.
    const decoded = decodeResponse(frame, () => ({
      ...this.pending.context(id),
      timeoutMs: this.pending.timeoutOf(id),
    }));
    if (decoded.ok) {
      this.pending.resolve(id, decoded.value);
    } else {
      this.pending.reject(id, decoded.error);
    }
  }

  private scheduleHeartbeat(delayMs: number): void {
    this.clearHeartbeat();
    this.heartbeatTimer = setTimeout(() => this.onHeartbeatTimer(), Math.max(1, delayMs));
    this.heartbeatTimer.unref();
  }

  /**
   * Fires at lastRead + interval: a heartbeat after each silent interval, closed after 3 of them.
   * The check runs after pending I/O (setImmediate), so replies that arrived while the event loop
   * was blocked are read before the connection is judged silent.
   */
  private onHeartbeatTimer(): void {
    this.heartbeatTimer = undefined;
    setImmediate(() => this.checkHeartbeat());
  }

  private checkHeartbeat(): void {
    if (this.heartbeatTimer !== undefined) {
      return;
    }
    const socket = this.socket;
    if (!socket || (this.statusValue !== 'ready' && this.statusValue !== 'readonly')) {
      return;
    }
    const interval = this.opts.heartbeatIntervalMs;
    const idle = Date.now() - this.lastReadAt;
    if (idle < interval) {
      this.scheduleHeartbeat(interval - idle);
      return;
    }
    if (idle >= interval * 3) {
      this.logger.warn(`dubbo connection ${this.address}: nothing read for ${idle} ms (3 heartbeats missed); reconnecting`);
      socket.destroy();
      return;
    }
    this.enqueue(encodeHeartbeatRequest(this.takeId()));
    this.scheduleHeartbeat(interval - (idle % interval) || interval);
  }

  private takeId(): number {
    const id = this.nextId;
    this.nextId = id >= MAX_ID ? 1 : id + 1;
    return id;
  }

  private clearHeartbeat(): void {
    if (this.heartbeatTimer) {
      clearTimeout(this.heartbeatTimer);
      this.heartbeatTimer = undefined;
    }
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) {
      clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
    }
  }

  /**
   * Closes for good: pending calls fail with ConnectionClosedError at once, timers stop, the socket
   * is destroyed. Resolves when the socket is closed.
   */
  close(): Promise<void> {
    if (this.closedPromise) {
      return this.closedPromise;
    }
    this.setStatus('closing');
    this.pending.failAll((context) => new ConnectionClosedError(`Connection to ${this.address} was closed by the client`, { context }));
    this.abortConnect?.(new Error('the connection was closed while connecting'));
    this.clearReconnectTimer();
    this.clearConnectTimer();
    this.clearHeartbeat();
    this.dropOutbox();
    const socket = this.socket;
    this.closedPromise = new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket = undefined;
        this.decoder = undefined;
        this.setStatus('closed');
        this.removeAllListeners();
        resolve();
      };
      if (!socket || socket.destroyed) {
        done();
        return;
      }
      socket.once('close', done);
      socket.destroy();
    });
    return this.closedPromise;
  }
}

function toLocalId(id: RequestId): number | undefined {
  return typeof id === 'number' ? id : undefined;
}
