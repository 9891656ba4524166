/**
 * The library as an application runs it: compiled by tsc (Nest's injection needs the decorator
 * metadata tsc emits and tsx does not) into bench/out/build, rebuilt only when lib/ changed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const benchRoot = path.join(repoRoot, 'bench');
export const buildDir = path.join(benchRoot, 'out', 'build');
const stamp = path.join(buildDir, '.built');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return t;
}

/** Compiles lib/ to bench/out/build unless it is up to date; returns the build directory. */
export function buildLibrary(log: (line: string) => void): string {
  const sources = newest(path.join(repoRoot, 'lib'));
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) {
    return buildDir;
  }
  log('compiling lib/ with tsc into bench/out/build');
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(
    process.execPath,
    [
      tsc,
      '-p',
      path.join(repoRoot, 'tsconfig.build.json'),
      '--outDir',
      buildDir,
      '--declaration',
      'false',
      '--declarationMap',
      'false',
      '--sourceMap',
      'true',
    ],
    { encoding: 'utf8', cwd: repoRoot },
  );
  if (r.status !== 0) {
    throw new Error(`tsc failed:\n${r.stdout}\n${r.stderr}`);
  }
  writeFileSync(stamp, new Date().toISOString());
  return buildDir;
}

/** The compiled library's entry point, as an import() specifier. */
export function libraryEntry(): string {
  return path.join(buildDir, 'index.js');
}
