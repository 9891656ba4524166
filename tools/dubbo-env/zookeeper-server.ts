import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JvmProcess } from './jvm-process.js';
import { assertPortFree, fourLetterWord, freePort } from './ports.js';

// ZooKeeper's QuorumPeerMain behind a watch that ends the JVM when this Node process is gone.
const ZK_MAIN = 'org.apache.dubbo.test.zookeeper.ZooKeeperFixtureMain';

export interface QuorumPeer {
  id: number;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
}

export interface ZooKeeperServerOptions {
  clientPort?: number;
  /** For ensemble members: every peer (this one included) and this member's id. */
  quorum?: { peers: QuorumPeer[]; myId: number };
  dataDir?: string;
  tickTimeMs?: number;
}

/**
 * One ZooKeeper server as its own JVM on 127.0.0.1, with every four-letter word enabled so tests can
 * read `mntr` (zk_watch_count). Can be stopped, killed with SIGKILL and restarted on the same port and
 * data directory.
 */
export class ZooKeeperServer extends JvmProcess {
  readonly clientPort: number;
  private readonly dataDir: string;
  private readonly ownsDataDir: boolean;

  private constructor(
    clientPort: number,
    private readonly options: ZooKeeperServerOptions,
  ) {
    super(15000);
    this.clientPort = clientPort;
    this.ownsDataDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'zk-fixture-'));
    this.writeConfig();
  }

  static async start(options: ZooKeeperServerOptions = {}): Promise<ZooKeeperServer> {
    const port = options.clientPort ?? (await freePort());
    const server = new ZooKeeperServer(port, options);
    await server.launch();
    return server;
  }

  get connectString(): string {
    return `127.0.0.1:${this.clientPort}`;
  }

  private writeConfig(): void {
    const lines = [
      `dataDir=${path.join(this.dataDir, 'data')}`,
      `clientPort=${this.clientPort}`,
      'clientPortAddress=127.0.0.1',
      `tickTime=${this.options.tickTimeMs ?? 500}`,
      'minSessionTimeout=1000',
      'maxSessionTimeout=60000',
      'initLimit=20',
      'syncLimit=10',
      '4lw.commands.whitelist=*',
      'admin.enableServer=false',
      'maxClientCnxns=0',
      // Test data is throwaway: skipping fsync makes registering 1000 services several times faster.
      'forceSync=no',
    ];
    mkdirSync(path.join(this.dataDir, 'data'), { recursive: true });
    if (this.options.quorum) {
      for (const peer of this.options.quorum.peers) {
        lines.push(`server.${peer.id}=127.0.0.1:${peer.quorumPort}:${peer.electionPort}`);
      }
      writeFileSync(path.join(this.dataDir, 'data', 'myid'), `${this.options.quorum.myId}\n`);
    }
    writeFileSync(path.join(this.dataDir, 'zoo.cfg'), lines.join('\n') + '\n');
  }

  protected async launch(): Promise<void> {
    await assertPortFree(this.clientPort, 'ZooKeeper');
    const jvm = ['-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', '-Dzookeeper.admin.enableServer=false'];
    this.spawnJvm('zookeeper', ZK_MAIN, jvm, [path.join(this.dataDir, 'zoo.cfg')]);
    // An ensemble member only serves once a quorum exists; its caller waits for that.
    if (!this.options.quorum) {
      await this.waitServing(30000);
    }
  }

  /** Polls `srvr` until the server answers as a serving member (or standalone). */
  async waitServing(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      if (this.proc && !this.running) {
        throw new Error(`ZooKeeper on port ${this.clientPort} exited during start-up:\n${this.proc.output()}`);
      }
      try {
        last = await fourLetterWord('127.0.0.1', this.clientPort, 'srvr', 1000);
        if (/Mode: (standalone|leader|follower)/.test(last)) {
          return;
        }
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() > deadline) {
        throw new Error(`ZooKeeper on port ${this.clientPort} not serving after ${timeoutMs} ms (${last})\n${this.proc?.output() ?? ''}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async mode(): Promise<string> {
    const srvr = await fourLetterWord('127.0.0.1', this.clientPort, 'srvr');
    return /Mode: (\w+)/.exec(srvr)?.[1] ?? 'unknown';
  }

  /** Parsed `mntr` output: numeric values as numbers. */
  async mntr(): Promise<Record<string, number | string>> {
    const text = await fourLetterWord('127.0.0.1', this.clientPort, 'mntr');
    const out: Record<string, number | string> = {};
    for (const line of text.split('\n')) {
      const [key, value] = line.split('\t');
      if (key && value !== undefined) {
        const n = Number(value);
        out[key.trim()] = Number.isFinite(n) && value.trim() !== '' ? n : value.trim();
      }
    }
    return out;
  }

  async watchCount(): Promise<number> {
    const value = (await this.mntr())['zk_watch_count'];
    if (typeof value !== 'number') {
      throw new Error('mntr did not report zk_watch_count');
    }
    return value;
  }

  /** Stops the server and removes its data directory (when this object created it). */
  async close(): Promise<void> {
    await this.kill();
    if (this.ownsDataDir) {
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}

/** Three (or n) ZooKeeper servers on loopback forming one ensemble. */
export class ZooKeeperEnsemble {
  private constructor(readonly servers: ZooKeeperServer[]) {}

  static async start(size = 3): Promise<ZooKeeperEnsemble> {
    const peers: QuorumPeer[] = [];
    for (let id = 1; id <= size; id++) {
      peers.push({ id, clientPort: await freePort(), quorumPort: await freePort(), electionPort: await freePort() });
    }
    const servers = await Promise.all(
      peers.map((peer) => ZooKeeperServer.start({ clientPort: peer.clientPort, quorum: { peers, myId: peer.id } })),
    );
    const ensemble = new ZooKeeperEnsemble(servers);
    await Promise.all(servers.map((s) => s.waitServing(60000)));
    return ensemble;
  }

  get connectString(): string {
    return this.servers.map((s) => s.connectString).join(',');
  }

  async leader(): Promise<ZooKeeperServer> {
    for (const server of this.servers) {
      if (server.running && (await server.mode()) === 'leader') {
        return server;
      }
    }
    throw new Error('no leader in the ensemble');
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close()));
  }
}
