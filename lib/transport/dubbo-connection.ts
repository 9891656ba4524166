import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { ClientClosedError } from '../errors/client-closed.error.js';
import { ConnectionClosedError } from '../errors/connection-closed.error.js';
import { ConnectionError } from '../errors/connection.error.js';
import { type DubboErrorContext } from '../errors/dubbo.error.js';
import { ProtocolError } from '../errors/protocol.error.js';
import { type DubboLogger, silentLogger } from '../logging/logger.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../protocol/constants.js';
import { type RequestId } from '../protocol/dubbo-header.js';
import { classifyFrame, encodeHeartbeatRequest, encodeHeartbeatResponse } from '../protocol/events.js';
import { type DubboFrame, FrameDecoder } from '../protocol/frame-decoder.js';
import { type RpcInvocation } from '../protocol/invocation.js';
import { RequestEncoder } from '../protocol/request-encoder.js';
import { decodeResponse } from '../protocol/response-decoder.js';
import { type BackoffOptions, backoffDelay } from '../utils/backoff.util.js';
import { StatusMachine } from '../utils/status-machine.js';
import { statusRefusal, tooManyInFlight, tooManyQueued } from './call-refusal.js';
import { withoutStack } from './cheap-error.js';
import { startConnect } from './connect-attempt.js';
import { type ConnectionStatus } from './connection-status.js';
import { type DubboConnectionEvents, type DubboConnectionOptions, type RequestOptions } from './connection-options.js';
import { CONNECTION_TRANSITIONS } from './connection-transitions.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_QUEUED,
  DEFAULT_TIMEOUT_MS,
  MAX_REQUEST_ID,
} from './defaults.js';
import { Heartbeat } from './heartbeat.js';
import { Outbox } from './outbox.js';
import { PendingRequests } from './pending-requests.js';

/**
 * One TCP connection to one provider, multiplexing calls by request id. Frames written in the same
 * tick go out in one write; a full kernel buffer (write() → false) holds further frames until
 * 'drain'. Every call has a deadline; a close or error fails every pending call at once.
 */
export class DubboConnection extends EventEmitter<DubboConnectionEvents> {
  readonly address: string;
  private readonly statusMachine: StatusMachine<ConnectionStatus>;
  private socket: net.Socket | undefined;
  private readonly encoder: RequestEncoder;
  private readonly pending = new PendingRequests();
  private readonly outbox = new Outbox();
  private readonly heartbeat: Heartbeat;
  private nextId = 1;
  private connectPromise: Promise<void> | undefined;
  private abortConnect: ((error: Error) => void) | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempts = 0;
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
      maxQueued: options.maxQueued ?? DEFAULT_MAX_QUEUED,
      reconnect: options.reconnect ?? true,
      reconnectBackoff: options.reconnectBackoff ?? {},
    };
    this.address = `${options.host}:${options.port}`;
    this.logger = options.logger ?? silentLogger;
    this.encoder = new RequestEncoder({ maxPayloadBytes: this.opts.maxPayloadBytes });
    this.statusMachine = new StatusMachine<ConnectionStatus>(
      'idle',
      `dubbo connection ${this.address}`,
      this.logger,
      CONNECTION_TRANSITIONS,
    );
    this.heartbeat = new Heartbeat(
      {
        takeId: () => this.takeId(),
        sendHeartbeat: (id) => this.outbox.enqueue(encodeHeartbeatRequest(id)),
        destroy: (reason) => {
          this.logger.warn(`dubbo connection ${this.address}: ${reason}; reconnecting`);
          this.socket?.destroy();
        },
      },
      this.opts.heartbeatIntervalMs,
    );
  }

  get status(): ConnectionStatus {
    return this.statusMachine.value;
  }

  /** Ready for new calls (connected and not marked readonly by the provider). */
  get isAvailable(): boolean {
    return this.statusMachine.value === 'ready';
  }

  /** Whether request() would take a call now: ready, or not connected yet (the call waits for it). */
  get acceptsCalls(): boolean {
    const s = this.statusMachine.value;
    return s === 'ready' || s === 'idle' || s === 'connecting';
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * The machine logs and checks the move; the event goes out here, on the emitter, so that a
   * throwing 'status' listener reaches its emitter as with any EventEmitter.
   */
  private setStatus(next: ConnectionStatus): void {
    const from = this.statusMachine.value;
    if (this.statusMachine.set(next)) {
      this.emit('status', next, from);
    }
  }

  /** Connects (once; concurrent callers share the attempt). Rejects with ConnectionError. */
  connect(): Promise<void> {
    switch (this.statusMachine.value) {
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
    const attempt = startConnect(this.opts.host, this.opts.port, this.opts.connectTimeoutMs);
    const socket = attempt.socket;
    this.socket = socket;
    this.abortConnect = attempt.abort;
    this.connectPromise = attempt.done.then(
      () => {
        this.abortConnect = undefined;
        this.connectPromise = undefined;
        this.reconnectAttempts = 0;
        this.attach(socket, new FrameDecoder((frame) => this.onFrame(frame), { maxPayloadBytes: this.opts.maxPayloadBytes }));
        this.setStatus('ready');
        this.outbox.flush();
      },
      (error: Error) => {
        this.abortConnect = undefined;
        if (this.socket === socket) {
          this.socket = undefined;
        }
        const err = new ConnectionError(`Cannot connect to ${this.address}: ${error.message}`, {
          cause: error,
          context: { address: this.address },
        });
        this.connectPromise = undefined;
        this.outbox.drop();
        this.pending.failAll((context) => new ConnectionError(err.message, { cause: error, context }));
        if (this.statusMachine.value === 'connecting') {
          this.scheduleReconnect();
        }
        throw err;
      },
    );
    return this.connectPromise;
  }

  private attach(socket: net.Socket, decoder: FrameDecoder): void {
    const onData = (chunk: Buffer): void => {
      this.heartbeat.noteRead();
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
    const onError = (err: Error): void => {
      this.logger.warn(`dubbo connection ${this.address}: ${err.message}`);
    };
    const onClose = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      this.onSocketClosed(socket);
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    this.outbox.open(socket);
    this.heartbeat.start();
  }

  private onSocketClosed(socket: net.Socket): void {
    if (this.socket !== socket) {
      return;
    }
    this.socket = undefined;
    this.heartbeat.stop();
    this.outbox.drop();
    const status = this.statusMachine.value;
    const closing = status === 'closing' || status === 'closed';
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
    const status = this.statusMachine.value;
    if (!this.opts.reconnect || status === 'closing' || status === 'closed') {
      if (status !== 'closing' && status !== 'closed') {
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
    const status = this.statusMachine.value;
    const context: DubboErrorContext = {
      service: invocation.path,
      method: invocation.method,
      version: invocation.version,
      group: invocation.group,
      address: this.address,
    };
    if (status !== 'ready') {
      const refusal = withoutStack(() => statusRefusal(status, this.address, context));
      if (refusal) {
        return Promise.reject(refusal);
      }
    }
    if (options.signal?.aborted) {
      return Promise.reject(options.signal.reason ?? new DOMException('The call was aborted', 'AbortError'));
    }
    if (this.pending.size >= this.opts.maxInFlight) {
      return Promise.reject(withoutStack(() => tooManyInFlight(this.address, this.opts.maxInFlight, context)));
    }
    if (this.outbox.length >= this.opts.maxQueued) {
      return Promise.reject(withoutStack(() => tooManyQueued(this.address, this.opts.maxQueued, context)));
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const id = this.takeId();
    context.requestId = id;
    let frame: Buffer;
    try {
      frame = this.encoder.encode(id, invocation, timeoutMs, options.prepared);
    } catch (err) {
      return Promise.reject(err);
    }
    const result = this.pending.add(id, timeoutMs, context, options.signal);
    this.outbox.enqueue(frame);
    if (status === 'idle') {
      this.connect().catch(() => undefined);
    }
    return result;
  }

  /** The one source of request ids, calls and heartbeats alike: 1, 2, … wrapping at MAX_REQUEST_ID. */
  private takeId(): number {
    const id = this.nextId;
    this.nextId = id >= MAX_REQUEST_ID ? 1 : id + 1;
    return id;
  }

  private onFrame(frame: DubboFrame): void {
    switch (classifyFrame(frame)) {
      case 'response':
        this.onResponse(frame);
        return;
      case 'heartbeat-request':
        if (frame.twoWay) {
          this.outbox.enqueue(encodeHeartbeatResponse(frame.requestId));
        }
        return;
      case 'readonly':
        if (this.statusMachine.value === 'ready') {
          this.setStatus('readonly');
          this.emit('readonly');
        }
        return;
      case 'writable':
        if (this.statusMachine.value === 'readonly') {
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
    this.heartbeat.stop();
    this.outbox.drop();
    const socket = this.socket;
    this.closedPromise = new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket = undefined;
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
