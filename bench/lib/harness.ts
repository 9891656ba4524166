/**
 * Contestant side of the benchmark: one process per client, started once by the driver and then
 * told over stdin which run to do next (one JSON command per line); each run answers with one JSON
 * line on stdout. Everything a client library prints goes to stderr, so stdout carries results only.
 *
 * A run is a closed loop: N lanes each keep one call in flight (call, await, check, repeat) for
 * warm-up + window seconds. Only calls that complete inside the window count. Latency goes into a
 * histogram (1 µs buckets below 1 ms, 1 % buckets above). CPU per call is this process's user+system
 * CPU over the window divided by the calls completed in it.
 */
import { createInterface } from 'node:readline';
import { deepCheck, quickCheck, type Workload } from './workloads.js';

const stdoutWrite = process.stdout.write.bind(process.stdout);

/** In a contestant process, anything but the result lines (library logging) goes to stderr. */
function keepStdoutForResults(): void {
  process.stdout.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(chunk, encoding, cb)) as typeof process.stdout.write;
}

export interface Adapter {
  /** One function per workload the client can do; it resolves to the call's result. */
  calls: Partial<Record<Workload, () => Promise<unknown>>>;
  /** Why a workload is missing, per workload. */
  unsupported?: Partial<Record<Workload, string>>;
  /** How the client calls (shown in the table), e.g. "generic $invoke" or "typed". */
  mode: string;
  /** Replaces the per-call result check (raw floor: it does not decode every reply). */
  quickCheck?: (workload: Workload, result: unknown) => boolean;
  close(): Promise<void> | void;
}

export interface RunCommand {
  workload: Workload;
  inFlight: number;
  warmupSec: number;
  durationSec: number;
}

export interface RunResult {
  client: string;
  mode: string;
  workload: Workload;
  inFlight: number;
  calls: number;
  errors: number;
  stuck: number;
  seconds: number;
  callsPerSec: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  rssMB: number;
  rssPeakMB: number;
  cpuUsPerCall: number | null;
  cpuPct: number | null;
  firstError: string | null;
  unsupported?: string;
  failed?: string;
}

const STUCK_GRACE_MS = 2000;
const PROBE_MS = 10000;

const LINEAR_US = 1000;
const LOG_BUCKETS = 1400;
const LOG_STEP = Math.log(1.01);

export class Histogram {
  private readonly counts = new Float64Array(LINEAR_US + LOG_BUCKETS);
  n = 0;
  max = 0;

  record(ms: number): void {
    const us = ms * 1000;
    let i: number;
    if (us < LINEAR_US) {
      i = us < 0 ? 0 : Math.floor(us);
    } else {
      i = Math.min(this.counts.length - 1, LINEAR_US + Math.floor(Math.log(us / LINEAR_US) / LOG_STEP));
    }
    this.counts[i]!++;
    this.n++;
    if (ms > this.max) {
      this.max = ms;
    }
  }

  percentile(p: number): number | null {
    if (this.n === 0) {
      return null;
    }
    const target = Math.ceil(p * this.n);
    let acc = 0;
    for (let i = 0; i < this.counts.length; i++) {
      acc += this.counts[i]!;
      if (acc >= target) {
        const mid = i < LINEAR_US ? (i + 0.5) / 1000 : (LINEAR_US * Math.exp((i - LINEAR_US + 0.5) * LOG_STEP)) / 1000;
        return Math.min(mid, this.max);
      }
    }
    return this.max;
  }
}

export function round(x: number | null | undefined, digits = 3): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) {
    return null;
  }
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function mb(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}

export function errText(err: unknown): string {
  if (err instanceof Error) {
    const name = err.name && err.name !== 'Error' ? `${err.name}: ` : '';
    return `${name}${err.message}`.replace(/\s+/g, ' ').slice(0, 400);
  }
  return String(err).slice(0, 400);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function runLoad(
  call: () => Promise<unknown>,
  check: (r: unknown) => boolean,
  cmd: RunCommand,
): Promise<Omit<RunResult, 'client' | 'mode' | 'workload' | 'inFlight'>> {
  const hist = new Histogram();
  let calls = 0;
  let errors = 0;
  let inflight = 0;
  let firstError: string | null = null;
  let rssPeak = process.memoryUsage.rss();
  const t0 = performance.now();
  const measureStart = t0 + cmd.warmupSec * 1000;
  const end = measureStart + cmd.durationSec * 1000;
  let startSnap: { t: number; cpu: NodeJS.CpuUsage } | undefined;
  let endSnap: { t: number; cpu: NodeJS.CpuUsage } | undefined;
  const snap = (): { t: number; cpu: NodeJS.CpuUsage } => ({ t: performance.now(), cpu: process.cpuUsage() });
  const memTimer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 250);
  const lane = async (): Promise<void> => {
    for (;;) {
      const s = performance.now();
      if (s >= end) {
        endSnap ??= snap();
        return;
      }
      inflight++;
      let ok = false;
      try {
        const res = await call();
        ok = check(res);
        if (!ok && firstError === null) {
          firstError = `unexpected result: ${String(JSON.stringify(res)).slice(0, 160)}`;
        }
      } catch (err) {
        firstError ??= errText(err);
      }
      inflight--;
      const f = performance.now();
      if (f >= measureStart) {
        startSnap ??= snap();
        if (f <= end) {
          if (ok) {
            calls++;
            hist.record(f - s);
          } else {
            errors++;
          }
        }
      }
    }
  };
  const all = Promise.all(Array.from({ length: cmd.inFlight }, lane)).then(() => true);
  const finished = await Promise.race([all, sleep(Math.max(0, end - performance.now()) + STUCK_GRACE_MS).then(() => false)]);
  clearInterval(memTimer);
  endSnap ??= snap();
  const rss = process.memoryUsage.rss();
  rssPeak = Math.max(rssPeak, rss);
  const wall = startSnap ? (endSnap.t - startSnap.t) / 1000 : 0;
  const cpuUs = startSnap ? endSnap.cpu.user - startSnap.cpu.user + endSnap.cpu.system - startSnap.cpu.system : 0;
  // Calls completed between the two CPU snapshots (the window may be entered a little late).
  const callsInSnap = wall > 0 ? calls * Math.min(1, wall / cmd.durationSec) : 0;
  const stuck = finished ? 0 : inflight;
  if (stuck > 0 && firstError === null) {
    firstError = `${stuck} call(s) still pending ${STUCK_GRACE_MS} ms after the window closed`;
  }
  return {
    calls,
    errors: errors + stuck,
    stuck,
    seconds: cmd.durationSec,
    callsPerSec: round(calls / cmd.durationSec, 0),
    p50Ms: round(hist.percentile(0.5)),
    p99Ms: round(hist.percentile(0.99)),
    maxMs: round(hist.max),
    rssMB: mb(rss),
    rssPeakMB: mb(rssPeak),
    cpuUsPerCall: callsInSnap > 0 ? round(cpuUs / callsInSnap, 1) : null,
    cpuPct: wall > 0 ? round((cpuUs / 1e6 / wall) * 100, 0) : null,
    firstError,
  };
}

function emit(obj: unknown): void {
  stdoutWrite(`${JSON.stringify(obj)}\n`);
}

/** Runs the contestant: setup once, then one run per stdin command, until "quit" or end of input. */
export async function serve(client: string, setup: () => Promise<Adapter>): Promise<void> {
  keepStdoutForResults();
  let adapter: Adapter;
  try {
    adapter = await setup();
  } catch (err) {
    emit({ client, ready: false, error: errText(err) });
    process.exit(2);
  }
  emit({ client, ready: true, pid: process.pid });
  const verified = new Set<Workload>();
  const closeAndExit = async (code: number): Promise<never> => {
    try {
      await Promise.race([adapter.close(), sleep(3000)]);
    } catch (err) {
      process.stderr.write(`[${client}] close: ${errText(err)}\n`);
    }
    process.exit(code);
  };
  process.once('SIGTERM', () => void closeAndExit(0));
  process.once('SIGINT', () => void closeAndExit(0));
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) {
      continue;
    }
    const msg = JSON.parse(line) as { quit?: boolean; run?: RunCommand };
    if (msg.quit || !msg.run) {
      break;
    }
    const cmd = msg.run;
    const base = { client, mode: adapter.mode, workload: cmd.workload, inFlight: cmd.inFlight };
    const call = adapter.calls[cmd.workload];
    if (!call) {
      emit({ ...base, unsupported: adapter.unsupported?.[cmd.workload] ?? 'not supported by this client' });
      continue;
    }
    if (!verified.has(cmd.workload)) {
      // The first successful call of a workload is checked field by field (providers may still be connecting).
      let problem: string | null = 'no successful call';
      const until = Date.now() + PROBE_MS;
      while (Date.now() < until) {
        try {
          problem = deepCheck(cmd.workload, await call());
          break;
        } catch (err) {
          problem = errText(err);
          await sleep(200);
        }
      }
      if (problem !== null) {
        emit({ ...base, failed: 'verify', firstError: problem, calls: 0, errors: 1, callsPerSec: null });
        continue;
      }
      verified.add(cmd.workload);
    }
    const check = adapter.quickCheck ?? quickCheck;
    const workload = cmd.workload;
    const result = await runLoad(call, (r) => check(workload, r), cmd);
    emit({ ...base, ...result });
  }
  await closeAndExit(0);
}

/** `--name value` from the command line. */
export function argValue(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) {
    if (fallback === undefined) {
      throw new Error(`missing --${name}`);
    }
    return fallback;
  }
  return v;
}
