import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';

/**
 * Every child process a test starts goes through here, so that nothing outlives the test run:
 * children are killed by PID when the Node process exits or is interrupted, whatever happened.
 */
const tracked = new Set<ChildProcess>();
let hooksInstalled = false;

function killAllNow(): void {
  for (const child of tracked) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  tracked.clear();
}

function installHooks(): void {
  if (hooksInstalled) {
    return;
  }
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllNow();
      process.kill(process.pid, signal);
    });
  }
}

export interface StartedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Last lines of stdout + stderr, for error messages. */
  output(): string;
}

export function startProcess(command: string, args: string[], options: SpawnOptions = {}): StartedProcess {
  installHooks();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (child.pid === undefined) {
    throw new Error(`could not start ${command}: is it installed and on PATH?`);
  }
  tracked.add(child);
  child.once('exit', () => tracked.delete(child));
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(chunk.toString('utf8'));
    if (tail.length > 200) {
      tail.splice(0, tail.length - 200);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, pid: child.pid, output: () => tail.join('').slice(-8000) };
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Sends a signal and waits for the process to exit; escalates to SIGKILL after graceMs. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15000): Promise<void> {
  if (!isRunning(child) || child.pid === undefined) {
    return;
  }
  const exited = once(child, 'exit');
  process.kill(child.pid, signal);
  const timer = setTimeout(() => {
    if (isRunning(child) && child.pid !== undefined) {
      process.kill(child.pid, 'SIGKILL');
    }
  }, graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves with the first stdout line that starts with one of the prefixes. Rejects when the process
 * exits first or the deadline passes, with the process output in the message.
 */
export function waitForLine(proc: StartedProcess, prefixes: string[], timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const cleanup = (): void => {
      clearTimeout(timer);
      proc.child.stdout?.off('data', onData);
      proc.child.off('exit', onExit);
    };
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (prefixes.some((p) => line.startsWith(p))) {
          cleanup();
          resolve(line);
          return;
        }
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`${what} exited (code ${code}, signal ${signal}) before it was ready:\n${proc.output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} was not ready within ${timeoutMs} ms:\n${proc.output()}`));
    }, timeoutMs);
    proc.child.stdout?.on('data', onData);
    proc.child.once('exit', onExit);
  });
}
