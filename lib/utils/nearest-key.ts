/** Edit distance (insert, delete, replace, swap of neighbours), for "did you mean" hints. */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The valid key closest to an unknown one, if it is close enough to be a typo (or a prefix, as
 * `timeout` for `timeoutMs`). Only runs on the error path.
 */
export function nearestKey(unknown: string, valid: readonly string[]): string | undefined {
  const probe = unknown.slice(0, 64).toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const key of valid) {
    const lower = key.toLowerCase();
    const score = lower.startsWith(probe) || probe.startsWith(lower) ? 0.5 : distance(probe, lower);
    if (score < bestScore) {
      bestScore = score;
      best = key;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** "unknown key 'x'" plus the hint, for DubboConfigError messages. */
export function unknownKeyMessage(unknown: string, valid: readonly string[]): string {
  const near = nearestKey(unknown, valid);
  const shown = JSON.stringify(unknown.length > 64 ? `${unknown.slice(0, 64)}…` : unknown);
  return near !== undefined
    ? `is not a known option (${shown}); did you mean '${near}'?`
    : `is not a known option (${shown}); valid: ${valid.map((v) => `'${v}'`).join(', ')}`;
}
