/**
 * `npm run bench`: this library beside Dubbo's own Java generic consumer, the other Node Dubbo
 * clients and the raw floor, all against one Dubbo 3.3 Java provider on loopback, taking turns.
 * See bench/README.md.
 *
 *   npm run bench                 full matrix, 3 rounds (under 10 minutes on 2 cores)
 *   npm run bench -- --quick      one short round of echo at 256 in flight: library, Java, floor
 *   npm run bench -- --json       the JSON document on stdout (the table goes to stderr)
 *   options: --rounds N  --seconds S  --warmup S  --clients a,b,c  --budget S (stop starting runs after)
 *            --cells echo:256,user:32 (workload:in-flight pairs; workloads echo, user, bytes)
 *            --cpu-prof a,b (those Node contestants write .cpuprofile files to bench/out/<run>/prof/<client>/)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DubboProvider } from '../tools/dubbo-env/dubbo-provider.js';
import { javaGenericLoad, type JavaLoadResult } from '../tools/dubbo-env/java-consumer.js';
import { buildFixtures } from '../tools/dubbo-env/java-fixtures.js';
import { ZooKeeperServer } from '../tools/dubbo-env/zookeeper-server.js';
import { benchRoot, buildLibrary } from './lib/build.js';
import { ContestantProcess } from './lib/contestant.js';
import { errText, round, type RunResult } from './lib/harness.js';
import { javaArgs, SERVICE_VERSION, SPECS, type Workload } from './lib/workloads.js';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};

const QUICK = flag('quick');
const JSON_OUT = flag('json');
const ROUNDS = Number(option('rounds', QUICK ? '1' : '3'));
const SECONDS = Number(option('seconds', QUICK ? '5' : '3'));
const WARMUP = Number(option('warmup', QUICK ? '2' : '1'));
const JAVA_WARMUP = Math.max(WARMUP, QUICK ? 3 : 3);
const BUDGET_SEC = Number(option('budget', QUICK ? '85' : '560'));

const NODE_CONTESTANTS: Record<string, string> = {
  'nestjs-dubbo-generic': 'contestants/nestjs-dubbo-generic.ts',
  'raw-floor': 'contestants/raw-floor.ts',
  'apache-dubbo-js': 'peers/apache-dubbo-js.ts',
  'node-zookeeper-dubbo': 'peers/node-zookeeper-dubbo.ts',
  'sofa-rpc-node': 'peers/sofa-rpc-node.ts',
};
const PEERS = new Set(['apache-dubbo-js', 'node-zookeeper-dubbo', 'sofa-rpc-node']);
const ALL = ['nestjs-dubbo-generic', 'java-generic', 'raw-floor', 'apache-dubbo-js', 'node-zookeeper-dubbo', 'sofa-rpc-node'];
const CLIENTS = option('clients', QUICK ? 'nestjs-dubbo-generic,java-generic,raw-floor' : ALL.join(',')).split(',');
const CPU_PROF = new Set(option('cpu-prof', '').split(',').filter(Boolean));
const CELL_OPTION = option('cells', '');
const CELLS: Array<[Workload, number]> = CELL_OPTION
  ? CELL_OPTION.split(',').map((c) => [c.split(':')[0] as Workload, Number(c.split(':')[1])])
  : QUICK
    ? [['echo', 256]]
    : [
        ['echo', 1],
        ['echo', 32],
        ['echo', 256],
        ['user', 32],
        ['bytes', 32],
      ];

const started = Date.now();
const elapsed = (): number => (Date.now() - started) / 1000;
const log = (line: string): void => {
  process.stderr.write(`[bench ${elapsed().toFixed(0).padStart(3)}s] ${line}\n`);
};

interface Run extends Partial<RunResult> {
  client: string;
  workload: Workload;
  inFlight: number;
  round: number;
  providerCpuUsPerCall?: number | null;
}

export interface Row {
  client: string;
  mode: string;
  workload: Workload;
  inFlight: number;
  runs: number;
  callsPerSec: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  rssMB: number | null;
  cpuUsPerCall: number | null;
  providerCpuUsPerCall: number | null;
  ratioToJava: number | null;
  ratioToFloor: number | null;
  errors: number;
  note?: string;
}

function median(values: Array<number | null | undefined>): number | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) {
    return null;
  }
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** utime+stime of a process in µs, from /proc (Linux). */
function procCpuUs(pid: number | undefined): number | null {
  if (!pid) {
    return null;
  }
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1e6) / 100;
  } catch {
    return null;
  }
}

function installPeers(): void {
  const peers = path.join(benchRoot, 'peers');
  const marker = path.join(peers, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(path.join(peers, 'package-lock.json')).mtimeMs) {
    return;
  }
  log('installing the peer clients: npm ci --prefix bench/peers');
  const r = spawnSync('npm', ['ci', '--prefix', peers, '--no-audit', '--no-fund'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    throw new Error(`npm ci --prefix bench/peers failed:\n${r.stdout}\n${r.stderr}`);
  }
}

function fmt(n: number | null | undefined, digits = 0): string {
  return typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : '–';
}

function table(rows: Row[]): string {
  const out = [
    '| workload | in flight | client | how | calls/s (median) | p50 ms | p99 ms | peak RSS MB | client CPU µs/call | provider CPU µs/call | ×Java | ×floor | runs | errors |',
    '|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (r.note && r.callsPerSec === null) {
      out.push(`| ${SPECS[r.workload].label} | ${r.inFlight} | ${r.client} | ${r.mode} | ${r.note} | | | | | | | | | |`);
      continue;
    }
    out.push(
      `| ${SPECS[r.workload].label} | ${r.inFlight} | ${r.client} | ${r.mode} | ${fmt(r.callsPerSec)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${fmt(r.rssMB)} | ${fmt(r.cpuUsPerCall, 1)} | ${fmt(r.providerCpuUsPerCall, 1)} | ${fmt(r.ratioToJava, 2)} | ${fmt(r.ratioToFloor, 2)} | ${r.runs} | ${r.errors} |`,
    );
  }
  return out.join('\n');
}

function aggregate(runs: Run[]): Row[] {
  const rows: Row[] = [];
  for (const [workload, inFlight] of CELLS) {
    const cellRows: Row[] = [];
    for (const client of CLIENTS) {
      const mine = runs.filter((r) => r.client === client && r.workload === workload && r.inFlight === inFlight);
      if (mine.length === 0) {
        continue;
      }
      const ok = mine.filter((r) => typeof r.callsPerSec === 'number' && !r.unsupported && !r.failed);
      const bad = mine.find((r) => r.unsupported || r.failed);
      cellRows.push({
        client,
        mode: mine.find((r) => r.mode)?.mode ?? '',
        workload,
        inFlight,
        runs: ok.length,
        callsPerSec: round(median(ok.map((r) => r.callsPerSec)), 0),
        p50Ms: round(median(ok.map((r) => r.p50Ms))),
        p99Ms: round(median(ok.map((r) => r.p99Ms))),
        rssMB: ok.length ? Math.max(...ok.map((r) => r.rssPeakMB ?? r.rssMB ?? 0)) : null,
        cpuUsPerCall: round(median(ok.map((r) => r.cpuUsPerCall)), 1),
        providerCpuUsPerCall: round(median(ok.map((r) => r.providerCpuUsPerCall)), 1),
        ratioToJava: null,
        ratioToFloor: null,
        errors: mine.reduce((s, r) => s + (r.errors ?? 0), 0),
        note:
          ok.length === 0 && bad
            ? bad.unsupported
              ? `unsupported: ${bad.unsupported}`
              : `failed (${bad.failed}): ${bad.firstError ?? ''}`
            : undefined,
      });
    }
    const java = cellRows.find((r) => r.client === 'java-generic')?.callsPerSec ?? null;
    const floor = cellRows.find((r) => r.client === 'raw-floor')?.callsPerSec ?? null;
    for (const r of cellRows) {
      r.ratioToJava = r.callsPerSec !== null && java ? round(r.callsPerSec / java, 2) : null;
      r.ratioToFloor = r.callsPerSec !== null && floor ? round(r.callsPerSec / floor, 2) : null;
    }
    rows.push(...cellRows);
  }
  return rows;
}

async function runJava(
  zk: string,
  workload: Workload,
  inFlight: number,
): Promise<Partial<RunResult> & { providerCpuUsPerCall?: number | null }> {
  const s = SPECS[workload];
  const r: JavaLoadResult = await javaGenericLoad(
    {
      zk,
      interface: s.service,
      version: SERVICE_VERSION,
      method: s.method,
      types: s.parameterTypes,
      args: javaArgs(workload),
      timeoutMs: 5000,
    },
    { concurrency: inFlight, durationSec: SECONDS, warmupSec: JAVA_WARMUP },
  );
  return {
    mode: 'generic $invokeAsync (JVM)',
    calls: r.calls,
    errors: r.errors,
    callsPerSec: r.callsPerSec,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    rssMB: r.rssMB,
    rssPeakMB: r.rssMB,
    cpuUsPerCall: r.cpuUsPerCall,
    // The provider's CPU around a whole JVM run would include the consumer's start-up: not reported.
    providerCpuUsPerCall: null,
  };
}

async function main(): Promise<void> {
  let zk: ZooKeeperServer | undefined;
  let provider: DubboProvider | undefined;
  const procs = new Map<string, ContestantProcess>();
  const runs: Run[] = [];
  const outDir = path.join(benchRoot, 'out', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(outDir, { recursive: true });
  // Ctrl-C: tools/dubbo-env/processes.ts kills every child it started (ZooKeeper, provider, contestants)
  // by PID; the Java load JVM exits by itself when its parent is gone (-Dfixture.parentPid).
  try {
    buildFixtures((l) => log(l));
    buildLibrary(log);
    if (CLIENTS.some((c) => PEERS.has(c))) {
      installPeers();
    }
    zk = await ZooKeeperServer.start();
    provider = await DubboProvider.start({ zk: zk.connectString, flavor: 'dubbo3', services: ['echo', 'user'], jvmArgs: ['-Xmx1g'] });
    log(`ZooKeeper ${zk.connectString}, Dubbo 3.3 provider ${provider.address} (pid ${provider.pid})`);
    const args = ['--zk', zk.connectString, '--provider', provider.address];
    await Promise.all(
      CLIENTS.filter((c) => NODE_CONTESTANTS[c]).map(async (c) => {
        try {
          const nodeArgs = CPU_PROF.has(c) ? ['--cpu-prof', '--cpu-prof-dir', path.join(outDir, 'prof', c)] : [];
          procs.set(c, await ContestantProcess.start(c, NODE_CONTESTANTS[c]!, args, nodeArgs));
        } catch (err) {
          log(`${c}: ${errText(err)}`);
          for (const [w, n] of CELLS) {
            runs.push({ client: c, workload: w, inFlight: n, round: 0, failed: 'start', firstError: errText(err) });
          }
        }
      }),
    );
    // The provider JVM is cold: let the floor drive every workload first (not counted), so the first
    // contestant does not pay for the provider's JIT compilation.
    const floor = procs.get('raw-floor') ?? (await ContestantProcess.start('raw-floor', NODE_CONTESTANTS['raw-floor']!, args));
    for (const w of [...new Set(CELLS.map(([w]) => w))]) {
      const r = await floor.run({ workload: w, inFlight: 64, warmupSec: 0, durationSec: QUICK ? 6 : 4 });
      log(`provider warm-up (${w}, raw floor, not counted): ${fmt(r.callsPerSec)} calls/s`);
    }
    if (!procs.has('raw-floor')) {
      await floor.stop();
    }
    const perRunSec = WARMUP + SECONDS + 0.5;
    const javaRunSec = JAVA_WARMUP + SECONDS + 4;
    for (let rnd = 1; rnd <= ROUNDS; rnd++) {
      for (const [workload, inFlight] of CELLS) {
        // Turns rotate each round so no client always runs first after another's load.
        const order = CLIENTS.map((_, i) => CLIENTS[(i + rnd - 1) % CLIENTS.length]!);
        for (const client of order) {
          const cost = client === 'java-generic' ? javaRunSec : perRunSec;
          if (elapsed() + cost > BUDGET_SEC) {
            log(`time budget: skipping ${client} ${workload}/${inFlight} round ${rnd}`);
            continue;
          }
          const base = { client, workload, inFlight, round: rnd };
          try {
            let r: Partial<RunResult> & { providerCpuUsPerCall?: number | null };
            const cpu0 = procCpuUs(provider.pid);
            const t0 = performance.now();
            if (client === 'java-generic') {
              r = await runJava(zk.connectString, workload, inFlight);
            } else {
              const p = procs.get(client);
              if (!p) {
                continue;
              }
              r = await p.run({ workload, inFlight, warmupSec: WARMUP, durationSec: SECONDS });
              const cpu1 = procCpuUs(provider.pid);
              const measured = (performance.now() - t0) / 1000;
              // Provider CPU over the whole run, scaled to the measured window's share of it.
              if (cpu0 !== null && cpu1 !== null && r.calls && measured > 0) {
                r.providerCpuUsPerCall = round(((cpu1 - cpu0) * (SECONDS / measured)) / r.calls, 1);
              }
            }
            runs.push({ ...r, ...base });
            log(
              `${client.padEnd(21)} ${workload.padEnd(5)} ×${String(inFlight).padEnd(3)} r${rnd}: ` +
                (r.unsupported
                  ? `unsupported (${r.unsupported})`
                  : r.failed
                    ? `FAILED ${r.failed}: ${r.firstError}`
                    : `${fmt(r.callsPerSec)} calls/s, p99 ${fmt(r.p99Ms, 2)} ms, ${fmt(r.cpuUsPerCall, 1)} µs/call${r.errors ? `, ${r.errors} errors (${r.firstError})` : ''}`),
            );
          } catch (err) {
            runs.push({ ...base, failed: 'run', firstError: errText(err) });
            log(`${client} ${workload}/${inFlight}: ${errText(err)}`);
          }
        }
      }
    }
  } finally {
    await Promise.all([...procs.values()].map((p) => p.stop().catch(() => undefined)));
    await provider?.kill().catch(() => undefined);
    await zk?.close().catch(() => undefined);
  }
  const rows = aggregate(runs);
  const doc = {
    generatedAt: new Date().toISOString(),
    quick: QUICK,
    settings: { rounds: ROUNDS, seconds: SECONDS, warmup: WARMUP, javaWarmup: JAVA_WARMUP, node: process.version, cpus: os.cpus().length },
    rows: rows.map(
      ({ client, workload, inFlight, callsPerSec, p50Ms, p99Ms, rssMB, cpuUsPerCall, ratioToJava, ratioToFloor, ...rest }) => ({
        client,
        workload,
        inFlight,
        callsPerSec,
        p50Ms,
        p99Ms,
        rssMB,
        cpuUsPerCall,
        ratioToJava,
        ratioToFloor,
        ...rest,
      }),
    ),
    runs,
  };
  const md = table(rows);
  writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(doc, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'results.md'), `${md}\n`);
  log(`done in ${elapsed().toFixed(0)} s; results in ${path.relative(process.cwd(), outDir)}/`);
  if (JSON_OUT) {
    process.stderr.write(`${md}\n`);
    process.stdout.write(`${JSON.stringify(doc)}\n`);
  } else {
    process.stdout.write(`${md}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
