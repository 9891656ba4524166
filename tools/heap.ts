import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * A gc() that works in any context — Jest's sandbox included — without a command-line flag
 * (shared/leak.md §4.3: measure post-GC heap, twice collected, after one turn of the loop).
 */
export function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** heapUsed after two full collections and one turn of the event loop. */
export async function heapAfterGc(gc: () => void): Promise<number> {
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  return process.memoryUsage().heapUsed;
}

/** Least-squares slope of y over x (bytes per call when x is calls and y is heap bytes). */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
