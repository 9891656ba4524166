import { spawn } from 'node:child_process';
import { javaArgs } from './jvm-process.js';

const CONSUMER_MAIN = 'org.apache.dubbo.test.consumer.GenericConsumerMain';

export interface JavaCallTarget {
  zk?: string;
  /** Direct provider URL (dubbo://127.0.0.1:port), bypassing the registry. */
  url?: string;
  interface: string;
  version?: string;
  group?: string;
  method: string;
  types: string[];
  args: unknown[];
  /** A JSON file with the arguments instead of `args`, for values too large for a command line. */
  argsFile?: string;
  timeoutMs?: number;
  attachments?: Record<string, string>;
  zkAuth?: string;
}

export type JavaCallResult = { ok: true; result: unknown } | { ok: false; error: { class: string; message: string } };

export interface JavaLoadResult {
  client: 'java-generic';
  calls: number;
  errors: number;
  seconds: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerCall: number;
  rssMB: number;
}

function targetArgs(t: JavaCallTarget): string[] {
  const args: string[] = [];
  if (t.zk) {
    args.push('--zk', t.zk);
  }
  if (t.url) {
    args.push('--url', t.url);
  }
  args.push('--interface', t.interface, '--method', t.method, '--types', JSON.stringify(t.types));
  args.push(...(t.argsFile !== undefined ? ['--args-file', t.argsFile] : ['--args', JSON.stringify(t.args)]));
  if (t.version) {
    args.push('--version', t.version);
  }
  if (t.group) {
    args.push('--group', t.group);
  }
  if (t.timeoutMs !== undefined) {
    args.push('--timeout', String(t.timeoutMs));
  }
  if (t.attachments) {
    args.push('--attach', JSON.stringify(t.attachments));
  }
  if (t.zkAuth) {
    args.push('--zk-auth', t.zkAuth);
  }
  return args;
}

function runConsumer(mode: string, args: string[], jvmArgs: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', javaArgs('consumer', CONSUMER_MAIN, jvmArgs, [mode, ...args]), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop();
      if (code !== 0 || line === undefined) {
        reject(new Error(`Java generic consumer '${mode}' failed (code ${code}, signal ${signal}):\n${out}\n${err.slice(-4000)}`));
        return;
      }
      resolve(line);
    });
  });
}

/** One generic call through Dubbo's own Java consumer (ReferenceConfig<GenericService> + $invoke). */
export async function javaGenericCall(target: JavaCallTarget): Promise<JavaCallResult> {
  return JSON.parse(await runConsumer('call', targetArgs(target), ['-Xmx256m', '-XX:TieredStopAtLevel=1'], 120000)) as JavaCallResult;
}

/** Dubbo's Java generic consumer under load: C calls in flight for the given seconds. */
export async function javaGenericLoad(
  target: JavaCallTarget,
  load: { concurrency: number; durationSec: number; warmupSec?: number },
): Promise<JavaLoadResult> {
  const args = [
    ...targetArgs(target),
    '--concurrency',
    String(load.concurrency),
    '--duration',
    String(load.durationSec),
    '--warmup',
    String(load.warmupSec ?? 2),
  ];
  const timeout = (load.durationSec + (load.warmupSec ?? 2) + 60) * 1000;
  return JSON.parse(await runConsumer('load', args, ['-Xmx512m'], timeout)) as JavaLoadResult;
}

export type JavaBatchCall = Omit<JavaCallTarget, 'zk' | 'url' | 'zkAuth'>;

/**
 * Several calls through one Java consumer JVM (`batch` mode: one JSON request per stdin line, one
 * result per stdout line), so a suite pays the JVM start once.
 */
export function javaGenericBatch(registry: { zk?: string; url?: string }, calls: JavaBatchCall[]): Promise<JavaCallResult[]> {
  return new Promise((resolve, reject) => {
    const args = registry.zk ? ['--zk', registry.zk] : ['--url', registry.url ?? ''];
    const child = spawn('java', javaArgs('consumer', CONSUMER_MAIN, ['-Xmx256m', '-XX:TieredStopAtLevel=1'], ['batch', ...args]), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000 + calls.length * 5000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const lines = out.split('\n').filter((l) => l.startsWith('{'));
      if (code !== 0 || lines.length !== calls.length) {
        reject(
          new Error(
            `Java generic consumer 'batch' failed (code ${code}, signal ${signal}, ${lines.length}/${calls.length} results):\n${out}\n${err.slice(-4000)}`,
          ),
        );
        return;
      }
      resolve(lines.map((l) => JSON.parse(l) as JavaCallResult));
    });
    for (const c of calls) {
      child.stdin.write(
        JSON.stringify({
          interface: c.interface,
          version: c.version,
          group: c.group,
          method: c.method,
          types: c.types,
          args: c.args,
          timeout: c.timeoutMs,
          attach: c.attachments,
        }) + '\n',
      );
    }
    child.stdin.end();
  });
}
