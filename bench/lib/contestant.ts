/**
 * Driver side of a contestant process: started once (NODE_ENV=production), then asked for one run at
 * a time over stdin; each answer is one JSON line on its stdout.
 */
import path from 'node:path';
import { startProcess, type StartedProcess, stopProcess } from '../../tools/dubbo-env/processes.js';
import { repoRoot } from './build.js';
import { type RunCommand, type RunResult } from './harness.js';

export class ContestantProcess {
  private lines: string[] = [];
  private waiter: ((line: string | undefined) => void) | undefined;
  private buffered = '';
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly proc: StartedProcess,
  ) {
    proc.child.stdout?.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, nl).trim();
        this.buffered = this.buffered.slice(nl + 1);
        if (line.startsWith('{')) {
          this.push(line);
        }
      }
    });
    proc.child.once('exit', () => {
      this.exited = true;
      this.waiter?.(undefined);
      this.waiter = undefined;
    });
  }

  get pid(): number {
    return this.proc.pid;
  }

  private push(line: string): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(line);
    } else {
      this.lines.push(line);
    }
  }

  private next(timeoutMs: number): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) {
      return Promise.resolve(queued);
    }
    if (this.exited) {
      return Promise.reject(new Error(`${this.name} exited:\n${this.proc.output()}`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`${this.name}: no answer within ${timeoutMs} ms:\n${this.proc.output()}`));
      }, timeoutMs);
      this.waiter = (line) => {
        clearTimeout(timer);
        if (line === undefined) {
          reject(new Error(`${this.name} exited:\n${this.proc.output()}`));
        } else {
          resolve(line);
        }
      };
    });
  }

  /** Starts `file` (relative to bench/) with extra node flags (e.g. --cpu-prof) and waits for its ready line. */
  static async start(name: string, file: string, args: string[], nodeArgs: string[] = []): Promise<ContestantProcess> {
    const proc = startProcess(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(repoRoot, 'bench', file), ...args], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const c = new ContestantProcess(name, proc);
    const ready = JSON.parse(await c.next(60000)) as { ready: boolean; error?: string };
    if (!ready.ready) {
      await c.stop();
      throw new Error(`${name} could not start: ${ready.error ?? 'unknown error'}`);
    }
    return c;
  }

  async run(cmd: RunCommand): Promise<RunResult> {
    this.proc.child.stdin?.write(`${JSON.stringify({ run: cmd })}\n`);
    return JSON.parse(await this.next((cmd.warmupSec + cmd.durationSec) * 1000 + 30000)) as RunResult;
  }

  async stop(): Promise<void> {
    if (this.exited) {
      return;
    }
    this.proc.child.stdin?.end(`${JSON.stringify({ quit: true })}\n`);
    const gone = new Promise<void>((r) => this.proc.child.once('exit', () => r()));
    const t = setTimeout(() => void stopProcess(this.proc.child, 'SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }
}
