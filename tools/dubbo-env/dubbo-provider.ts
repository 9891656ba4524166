import { JvmProcess } from './jvm-process.js';
import { assertPortFree, freePort } from './ports.js';
import { stopProcess, waitForLine } from './processes.js';

/** dubbo3: 3.3.6; dubbo32: 3.2.19 (the same Java sources); dubbo27: 2.7.23. */
export type ProviderFlavor = 'dubbo3' | 'dubbo32' | 'dubbo27';

export interface ProviderOptions {
  zk: string;
  flavor?: ProviderFlavor;
  port?: number;
  /** Comma list among echo,types,user,fail,greeting (provider's default: all for dubbo3). */
  services?: string[];
  /** Export N generated interfaces org.apache.dubbo.test.many.ServiceNNNN. */
  many?: number;
  app?: string;
  weight?: number;
  token?: string;
  registerMode?: 'interface' | 'instance' | 'all';
  zkAuth?: string;
  params?: Record<string, string>;
  threads?: number;
  /** ZooKeeper session timeout of the provider (how long its nodes outlive a kill -9). */
  zkSessionTimeoutMs?: number;
  startTimeoutMs?: number;
  jvmArgs?: string[];
}

const MAIN: Record<ProviderFlavor, { module: 'provider' | 'provider32' | 'provider27'; mainClass: string; jvm: string[] }> = {
  dubbo3: { module: 'provider', mainClass: 'org.apache.dubbo.test.provider.ProviderMain', jvm: [] },
  dubbo32: {
    module: 'provider32',
    mainClass: 'org.apache.dubbo.test.provider.ProviderMain',
    // On JDK 17: without java.lang every exception becomes status 50 (Throwable fields unreadable),
    // without java.math a BigInteger result does.
    jvm: ['--add-opens=java.base/java.lang=ALL-UNNAMED', '--add-opens=java.base/java.math=ALL-UNNAMED'],
  },
  dubbo27: {
    module: 'provider27',
    mainClass: 'org.apache.dubbo.test.provider27.Provider27Main',
    // Dubbo 2.7's reflection needs these on JDK 17 (the provider says so and exits without them).
    jvm: ['--add-opens=java.base/java.lang=ALL-UNNAMED', '--add-opens=java.base/java.math=ALL-UNNAMED'],
  },
};

export interface ProviderReady {
  port: number;
  pid: number;
  dubbo: string;
  services: number;
}

/** A real Apache Dubbo Java provider in its own JVM, registering in the given ZooKeeper. */
export class DubboProvider extends JvmProcess {
  ready: ProviderReady | undefined;

  private constructor(readonly options: ProviderOptions & { port: number }) {
    // Dubbo's graceful stop unregisters and sends readonly events first: give it time.
    super(30000);
  }

  static async start(options: ProviderOptions): Promise<DubboProvider> {
    const provider = new DubboProvider({ ...options, port: options.port ?? (await freePort()) });
    await provider.launch();
    return provider;
  }

  get port(): number {
    return this.options.port;
  }

  get address(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  private args(): string[] {
    const o = this.options;
    const args = ['--zk', o.zk, '--port', String(o.port)];
    if (o.services) {
      args.push('--services', o.services.join(','));
    }
    if (o.many !== undefined) {
      args.push('--many', String(o.many));
    }
    if (o.app) {
      args.push('--app', o.app);
    }
    if (o.weight !== undefined) {
      args.push('--weight', String(o.weight));
    }
    if (o.token !== undefined) {
      args.push('--token', o.token);
    }
    if (o.registerMode) {
      args.push('--register-mode', o.registerMode);
    }
    if (o.zkAuth) {
      args.push('--zk-auth', o.zkAuth);
    }
    if (o.threads !== undefined) {
      args.push('--threads', String(o.threads));
    }
    // The provider's own start-up deadline follows ours (its default, 30 s, is short on a loaded machine).
    args.push('--start-timeout', String(Math.ceil((o.startTimeoutMs ?? 90000) / 1000)));
    if (o.zkSessionTimeoutMs !== undefined) {
      args.push('--zk-session-timeout', String(o.zkSessionTimeoutMs));
    }
    for (const [k, v] of Object.entries(o.params ?? {})) {
      args.push('--param', `${k}=${v}`);
    }
    return args;
  }

  /** Resolves on the provider's READY line: every service exported and its node seen in ZooKeeper. */
  protected async launch(): Promise<void> {
    await assertPortFree(this.options.port, 'a Dubbo provider');
    const flavor = MAIN[this.options.flavor ?? 'dubbo3'];
    const jvm = ['-Xms128m', '-Xmx512m', ...flavor.jvm, ...(this.options.jvmArgs ?? [])];
    const proc = this.spawnJvm(flavor.module, flavor.mainClass, jvm, this.args());
    const what = `Dubbo provider (${this.options.flavor ?? 'dubbo3'}) on port ${this.options.port}`;
    const line = await waitForLine(proc, ['READY', 'FAILED'], this.options.startTimeoutMs ?? 90000, what);
    if (line.startsWith('FAILED')) {
      await stopProcess(proc.child, 'SIGKILL');
      throw new Error(`${what} failed to start: ${line.slice('FAILED'.length).trim()}`);
    }
    this.ready = JSON.parse(line.slice('READY'.length)) as ProviderReady;
  }

  /**
   * SIGKILL, then a new JVM at once on the same port. A kill leaves the provider's ephemeral
   * ZooKeeper nodes behind until its session expires.
   */
  async killAndRestart(): Promise<void> {
    await this.kill();
    await this.launch();
  }
}
