import { EventEmitter } from 'node:events';
import {
  ZK,
  type ZkClient,
  type ZkClientOptions,
  type ZkEvent,
  type ZkStat,
  type ZkWatcher,
} from '../../lib/registry/zookeeper/zk-client.js';

/**
 * An in-memory ZooKeeper "server" with clients that behave like node-zookeeper-client 1.1.3 where it
 * matters to the registry: one-shot watchers kept per (kind, path) in an EventEmitter and
 * de-duplicated by function identity only; requests made while disconnected wait in a queue (and
 * are never answered if the client is closed); watches survive a reconnect of the same session;
 * expiry closes the client for good. Faults are injected per operation.
 */
export type FakeOp = 'getChildren' | 'exists' | 'create' | 'remove';
export interface FakeCall {
  op: FakeOp;
  path: string;
  watcher: ZkWatcher | undefined;
  client: number;
}
type Fault = { op: FakeOp; path?: string; code: number } | { op: FakeOp; path?: string; hang: true };

interface FakeNode {
  ephemeralOwner: string | undefined;
  /** Readable only with these digest credentials. */
  readAuth: string | undefined;
}

const EVENT_NAMES: Record<number, string> = {
  [ZK.NODE_CREATED]: 'NODE_CREATED',
  [ZK.NODE_DELETED]: 'NODE_DELETED',
  [ZK.NODE_DATA_CHANGED]: 'NODE_DATA_CHANGED',
  [ZK.NODE_CHILDREN_CHANGED]: 'NODE_CHILDREN_CHANGED',
};

export function zkError(code: number): Error & { code: number } {
  return Object.assign(new Error(`Exception: fake[${code}]`), { code });
}

export class FakeZooKeeper {
  readonly nodes = new Map<string, FakeNode>([['/', { ephemeralOwner: undefined, readAuth: undefined }]]);
  readonly clients: FakeZkClient[] = [];
  readonly calls: FakeCall[] = [];
  readonly faults: Fault[] = [];
  /** When false, clients stay "connecting" until allowConnections() is called. */
  accepting = true;
  private nextSession = 1;

  readonly factory = (connectString: string, options: ZkClientOptions): ZkClient => {
    const client = new FakeZkClient(this, this.clients.length, connectString, options);
    this.clients.push(client);
    return client;
  };

  get current(): FakeZkClient {
    const client = this.clients[this.clients.length - 1];
    if (client === undefined) {
      throw new Error('no client created yet');
    }
    return client;
  }

  newSession(): string {
    return (this.nextSession++).toString(16).padStart(16, '0');
  }

  allowConnections(): void {
    this.accepting = true;
    for (const client of this.clients) {
      client.tryConnect();
    }
  }

  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  takeFault(op: FakeOp, path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => f.op === op && (f.path === undefined || f.path === path));
    return i < 0 ? undefined : this.faults.splice(i, 1)[0];
  }

  callsOf(op: FakeOp, path?: string): FakeCall[] {
    return this.calls.filter((c) => c.op === op && (path === undefined || c.path === path));
  }

  // ------------------------------------------------------------ tree changes (as another client would)

  mkdirp(path: string, readAuth?: string): void {
    const parts = path.split('/').filter(Boolean);
    let current = '';
    for (const part of parts) {
      current += `/${part}`;
      if (!this.nodes.has(current)) {
        this.addNode(current, undefined, readAuth);
      }
    }
  }

  addNode(path: string, owner?: string, readAuth?: string): void {
    if (this.nodes.has(path)) {
      throw new Error(`fake: ${path} exists`);
    }
    this.nodes.set(path, { ephemeralOwner: owner, readAuth });
    this.fire(path, 1);
    this.fire(parentOf(path), 4);
  }

  removeNode(path: string): void {
    if (!this.nodes.delete(path)) {
      throw new Error(`fake: no ${path}`);
    }
    this.fire(path, 2);
    this.fire(parentOf(path), 4);
  }

  /** Adds a child (node name as given, i.e. already URL-encoded) under a directory created on demand. */
  addChild(dir: string, name: string, owner?: string): void {
    this.mkdirp(dir);
    this.addNode(`${dir}/${name}`, owner);
  }

  children(path: string): string[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    return [...this.nodes.keys()]
      .filter((p) => p.startsWith(prefix) && p !== path && !p.slice(prefix.length).includes('/'))
      .map((p) => p.slice(prefix.length));
  }

  /** Ends a session as the server would: its ephemeral nodes go, and its client learns on reconnect. */
  expireSession(session: string): void {
    for (const [path, node] of [...this.nodes]) {
      if (node.ephemeralOwner === session) {
        this.removeNode(path);
      }
    }
    for (const client of this.clients) {
      if (client.session === session) {
        client.expire();
      }
    }
  }

  private fire(path: string, type: number): void {
    for (const client of this.clients) {
      client.notify({ type, name: EVENT_NAMES[type] ?? 'UNKNOWN', path });
    }
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

const CM_STATE = { DISCONNECTED: 0, CONNECTING: 1, CONNECTED: 2, CLOSING: -1, CLOSED: -2, EXPIRED: -3 } as const;

class FakeWatcherManager {
  childWatchers: Record<string, EventEmitter> = {};
  dataWatchers: Record<string, EventEmitter> = {};
  existenceWatchers: Record<string, EventEmitter> = {};

  register(kind: 'child' | 'data' | 'existence', path: string, watcher: ZkWatcher): void {
    const map = this[`${kind}Watchers`];
    const emitter = (map[path] ??= new EventEmitter());
    const known = emitter.listeners('notification').some((l) => l === watcher || (l as { listener?: unknown }).listener === watcher);
    if (!known) {
      emitter.once('notification', watcher);
    }
  }

  emit(event: ZkEvent): void {
    const emitters: EventEmitter[] = [];
    const take = (map: Record<string, EventEmitter>): void => {
      const emitter = map[event.path];
      if (emitter) {
        emitters.push(emitter);
        delete map[event.path];
      }
    };
    if (event.type === 1 || event.type === 3) {
      take(this.dataWatchers);
      take(this.existenceWatchers);
    } else if (event.type === 4) {
      take(this.childWatchers);
    } else {
      take(this.dataWatchers);
      take(this.childWatchers);
    }
    for (const emitter of emitters) {
      emitter.emit('notification', event);
    }
  }

  count(path: string): number {
    return [this.childWatchers, this.dataWatchers, this.existenceWatchers].reduce(
      (n, m) => n + (m[path]?.listenerCount('notification') ?? 0),
      0,
    );
  }
}

interface Queued {
  run: () => void;
}

export class FakeZkClient extends EventEmitter implements ZkClient {
  session: string | undefined;
  closed = false;
  authInfo: string[] = [];
  readonly socketDestroys: number[] = [];
  private readonly pending = new Set<(error: Error) => void>();
  /** Events that happened while disconnected, delivered on reconnect (the server's SetWatches answer). */
  private missed: ZkEvent[] = [];
  readonly connectionManager: {
    state: number;
    watcherManager: FakeWatcherManager;
    packetQueue: { queue: Queued[] };
    socket: { destroy(): void; localAddress: string } | undefined;
    on(event: 'state', listener: (state: number) => void): unknown;
    removeListener(event: 'state', listener: (state: number) => void): unknown;
    emitter: EventEmitter;
  };

  constructor(
    readonly server: FakeZooKeeper,
    readonly index: number,
    readonly connectString: string,
    readonly options: ZkClientOptions,
  ) {
    super();
    const emitter = new EventEmitter();
    this.connectionManager = {
      state: CM_STATE.DISCONNECTED,
      watcherManager: new FakeWatcherManager(),
      packetQueue: { queue: [] },
      socket: undefined,
      on: (event, listener) => emitter.on(event, listener),
      removeListener: (event, listener) => emitter.removeListener(event, listener),
      emitter,
    };
  }

  private setState(state: number): void {
    if (this.connectionManager.state !== state) {
      this.connectionManager.state = state;
      this.connectionManager.emitter.emit('state', state);
    }
  }

  get connected(): boolean {
    return this.connectionManager.state === CM_STATE.CONNECTED;
  }

  watcherCount(path: string): number {
    return this.connectionManager.watcherManager.count(path);
  }

  connect(): void {
    this.setState(CM_STATE.CONNECTING);
    this.tryConnect();
  }

  tryConnect(): void {
    if (this.closed || this.connectionManager.state !== CM_STATE.CONNECTING || !this.server.accepting) {
      return;
    }
    setImmediate(() => {
      if (this.closed || this.connectionManager.state !== CM_STATE.CONNECTING || !this.server.accepting) {
        return;
      }
      this.session ??= this.server.newSession();
      this.connectionManager.socket = {
        destroy: () => {
          this.socketDestroys.push(Date.now());
          this.dropConnection();
          this.reconnect();
        },
        localAddress: '127.0.0.1',
      };
      this.setState(CM_STATE.CONNECTED);
      this.emit('connected');
      const queued = this.connectionManager.packetQueue.queue.splice(0);
      for (const q of queued) {
        q.run();
      }
      const missed = this.missed;
      this.missed = [];
      for (const event of missed) {
        this.connectionManager.watcherManager.emit(event);
      }
    });
  }

  /** Connection lost (same session): requests in flight fail with CONNECTION_LOSS. */
  dropConnection(): void {
    if (!this.connected) {
      return;
    }
    for (const fail of [...this.pending]) {
      fail(zkError(ZK.CONNECTION_LOSS));
    }
    this.pending.clear();
    this.connectionManager.socket = undefined;
    this.setState(CM_STATE.DISCONNECTED);
    this.emit('disconnected');
  }

  /** Reconnects within the same session (watches restored, missed events delivered). */
  reconnect(): void {
    this.setState(CM_STATE.CONNECTING);
    this.tryConnect();
  }

  expire(): void {
    if (this.closed) {
      return;
    }
    this.dropConnection();
    this.setState(CM_STATE.EXPIRED);
    this.emit('expired');
    this.setState(CM_STATE.CLOSED);
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    const wasConnected = this.connected;
    this.setState(CM_STATE.CLOSING);
    setImmediate(() => {
      if (wasConnected && this.session !== undefined) {
        this.server.expireSession(this.session);
      }
      this.setState(CM_STATE.CLOSED);
    });
  }

  notify(event: ZkEvent): void {
    if (this.closed || this.connectionManager.state === CM_STATE.CLOSED) {
      return;
    }
    if (this.connected) {
      this.connectionManager.watcherManager.emit(event);
    } else {
      this.missed.push(event);
    }
  }

  getSessionId(): Buffer {
    return Buffer.from(this.session ?? '0000000000000000', 'hex');
  }

  getSessionTimeout(): number {
    return this.options.sessionTimeout;
  }

  addAuthInfo(scheme: string, auth: Buffer): void {
    this.authInfo.push(`${scheme}:${auth.toString()}`);
  }

  /** Queues like node-zookeeper-client: immediate while connected, held while disconnected, refused once closed. */
  private queue(
    op: FakeOp,
    path: string,
    watcher: ZkWatcher | undefined,
    callback: (error: Error | null, result?: unknown) => void,
    work: () => unknown,
  ): void {
    this.server.calls.push({ op, path, watcher, client: this.index });
    if (this.closed || this.connectionManager.state === CM_STATE.CLOSED || this.connectionManager.state === CM_STATE.EXPIRED) {
      setImmediate(() => callback(zkError(this.connectionManager.state === CM_STATE.EXPIRED ? ZK.SESSION_EXPIRED : ZK.CONNECTION_LOSS)));
      return;
    }
    const run = (): void => {
      const fault = this.server.takeFault(op, path);
      let done = false;
      const fail = (error: Error): void => {
        if (!done) {
          done = true;
          this.pending.delete(fail);
          callback(error);
        }
      };
      this.pending.add(fail);
      if (fault && 'hang' in fault) {
        return; // answered only by a connection loss
      }
      setImmediate(() => {
        if (done) {
          return;
        }
        done = true;
        this.pending.delete(fail);
        if (fault && 'code' in fault) {
          callback(zkError(fault.code));
          return;
        }
        try {
          callback(null, work());
        } catch (err) {
          callback(err as Error);
        }
      });
    };
    if (this.connected) {
      run();
    } else {
      this.connectionManager.packetQueue.queue.push({ run });
    }
  }

  private readable(path: string): FakeNode {
    const node = this.server.nodes.get(path);
    if (node === undefined) {
      throw zkError(ZK.NO_NODE);
    }
    if (node.readAuth !== undefined && !this.authInfo.includes(`digest:${node.readAuth}`)) {
      throw zkError(ZK.NO_AUTH);
    }
    return node;
  }

  getChildren(
    path: string,
    watcher: ZkWatcher | undefined,
    callback: (error: Error | null | undefined, children?: string[]) => void,
  ): void {
    this.queue('getChildren', path, watcher, callback as (e: Error | null, r?: unknown) => void, () => {
      this.readable(path);
      if (watcher) {
        this.connectionManager.watcherManager.register('child', path, watcher);
      }
      return this.server.children(path);
    });
  }

  exists(path: string, watcher: ZkWatcher | undefined, callback: (error: Error | null | undefined, stat?: ZkStat | null) => void): void {
    this.queue('exists', path, watcher, callback as (e: Error | null, r?: unknown) => void, () => {
      const node = this.server.nodes.get(path);
      if (watcher) {
        this.connectionManager.watcherManager.register(node ? 'data' : 'existence', path, watcher);
      }
      return node ? { ephemeralOwner: Buffer.from(node.ephemeralOwner ?? '0000000000000000', 'hex') } : null;
    });
  }

  create(
    path: string,
    _data: Buffer | undefined,
    _acls: unknown[],
    mode: number,
    callback: (error: Error | null | undefined, path?: string) => void,
  ): void {
    this.queue('create', path, undefined, callback as (e: Error | null, r?: unknown) => void, () => {
      if (this.server.nodes.has(path)) {
        throw zkError(ZK.NODE_EXISTS);
      }
      if (!this.server.nodes.has(parentOf(path))) {
        throw zkError(ZK.NO_NODE);
      }
      this.server.addNode(path, mode === ZK.EPHEMERAL ? this.session : undefined);
      return path;
    });
  }

  remove(path: string, _version: number, callback: (error: Error | null | undefined) => void): void {
    this.queue('remove', path, undefined, callback as (e: Error | null, r?: unknown) => void, () => {
      if (!this.server.nodes.has(path)) {
        throw zkError(ZK.NO_NODE);
      }
      this.server.removeNode(path);
      return undefined;
    });
  }
}
