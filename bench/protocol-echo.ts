/**
 * Echo benchmark of the protocol + transport layers against a real Dubbo provider, next to Dubbo's
 * own Java generic consumer on the same provider in the same run.
 *
 * For each of 1, 32 and 256 calls in flight on one connection: EchoService.echo(100-byte string),
 * warm-up, then a measured window. Reports calls/s, p50, p99 and client CPU µs per call (process CPU
 * time of this Node process over the window / calls), then the same for the Java consumer.
 *
 * Env: BENCH_SECONDS (default 10), BENCH_WARMUP (default 3), BENCH_CONCURRENCY (default "1,32,256"),
 * BENCH_PROVIDER=host:port to use a running provider instead of starting ZooKeeper + a 3.3 provider.
 */
import { type RpcInvocation } from '../lib/protocol/invocation.js';
import { DubboConnection } from '../lib/transport/dubbo-connection.js';
import { DubboProvider } from '../tools/dubbo-env/dubbo-provider.js';
import { javaGenericLoad, type JavaLoadResult } from '../tools/dubbo-env/java-consumer.js';
import { ZooKeeperServer } from '../tools/dubbo-env/zookeeper-server.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 3);
const LEVELS = (process.env['BENCH_CONCURRENCY'] ?? '1,32,256').split(',').map(Number);
const TEXT = 'x'.repeat(100);
const ECHO = 'org.apache.dubbo.test.EchoService';

interface NodeResult {
  calls: number;
  errors: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerCall: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function runNode(connection: DubboConnection, concurrency: number): Promise<NodeResult> {
  const call: RpcInvocation = { path: ECHO, version: '1.0.0', method: 'echo', parameterTypes: ['java.lang.String'], args: [TEXT] };
  const start = performance.now();
  const measureFrom = start + WARMUP * 1000;
  const measureTo = measureFrom + SECONDS * 1000;
  let samples = new Float64Array(1 << 20);
  let count = 0;
  let errors = 0;
  let cpuStart: NodeJS.CpuUsage | undefined;
  let cpuEnd: NodeJS.CpuUsage | undefined;
  const lane = async (): Promise<void> => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= measureTo) {
        return;
      }
      if (cpuStart === undefined && t0 >= measureFrom) {
        cpuStart = process.cpuUsage();
      }
      try {
        await connection.request(call, { timeoutMs: 10000 });
        const t1 = performance.now();
        if (t0 >= measureFrom && t1 <= measureTo) {
          if (count === samples.length) {
            const bigger = new Float64Array(samples.length * 2);
            bigger.set(samples);
            samples = bigger;
          }
          samples[count++] = t1 - t0;
        }
        if (t1 >= measureTo && cpuEnd === undefined) {
          cpuEnd = process.cpuUsage();
        }
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => lane()));
  const cpu = process.cpuUsage(cpuStart);
  const used = cpuEnd ? cpuEnd.user - cpuStart!.user + cpuEnd.system - cpuStart!.system : cpu.user + cpu.system;
  const sorted = samples.subarray(0, count).sort();
  return {
    calls: count,
    errors,
    callsPerSec: count / SECONDS,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    cpuUsPerCall: used / Math.max(1, count),
  };
}

function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

async function main(): Promise<void> {
  let zk: ZooKeeperServer | undefined;
  let provider: DubboProvider | undefined;
  let address = process.env['BENCH_PROVIDER'];
  try {
    if (!address) {
      zk = await ZooKeeperServer.start();
      provider = await DubboProvider.start({ zk: zk.connectString, flavor: 'dubbo3', services: ['echo'] });
      address = provider.address;
    }
    const [host, port] = address.split(':');
    const rows: Array<{ c: number; node: NodeResult; java: JavaLoadResult }> = [];
    for (const c of LEVELS) {
      const connection = new DubboConnection({ host: host!, port: Number(port), maxInFlight: 100000 });
      await connection.connect();
      const node = await runNode(connection, c);
      await connection.close();
      const java = await javaGenericLoad(
        {
          url: `dubbo://${address}`,
          interface: ECHO,
          version: '1.0.0',
          method: 'echo',
          types: ['java.lang.String'],
          args: [TEXT],
          timeoutMs: 10000,
        },
        { concurrency: c, durationSec: SECONDS, warmupSec: WARMUP },
      );
      rows.push({ c, node, java });
      console.log(JSON.stringify({ concurrency: c, node, java }));
    }
    console.log('\n| in flight | client | calls/s | p50 ms | p99 ms | CPU µs/call | errors | Node/Java calls/s |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(
        `| ${r.c} | Node | ${fmt(r.node.callsPerSec, 0)} | ${fmt(r.node.p50Ms, 3)} | ${fmt(r.node.p99Ms, 3)} | ${fmt(r.node.cpuUsPerCall)} | ${r.node.errors} | ${fmt(r.node.callsPerSec / r.java.callsPerSec)}× |`,
      );
      console.log(
        `| ${r.c} | Java | ${fmt(r.java.callsPerSec, 0)} | ${fmt(r.java.p50Ms, 3)} | ${fmt(r.java.p99Ms, 3)} | ${fmt(r.java.cpuUsPerCall)} | ${r.java.errors} | |`,
      );
    }
  } finally {
    await provider?.stop();
    await zk?.close();
  }
}

await main();
