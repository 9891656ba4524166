import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of this repository (two levels above tools/dubbo-env). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const javaRoot = path.join(repoRoot, 'test', 'java');

export type FixtureModule = 'zookeeper' | 'provider' | 'provider32' | 'provider27' | 'consumer';
const MODULES: FixtureModule[] = ['zookeeper', 'provider', 'provider32', 'provider27', 'consumer'];

export function moduleJar(module: FixtureModule): string {
  return path.join(javaRoot, module, 'target', `${module}.jar`);
}

export function moduleClasspath(module: FixtureModule): string {
  const target = path.join(javaRoot, module, 'target');
  return [path.join(target, `${module}.jar`), path.join(target, 'lib', '*')].join(path.delimiter);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'target' || entry.name.startsWith('.')) {
      continue;
    }
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function requireTool(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30000 });
  if (result.error !== undefined || result.status !== 0) {
    const reason = result.error?.message ?? result.stderr;
    throw new Error(
      `${what} is required to run the integration fixtures but '${command} ${args.join(' ')}' failed: ${reason}. ` +
        'Install JDK 17+ and Maven 3.8+ (see README.md, Prerequisites).',
    );
  }
}

/**
 * Written after each successful build, dated when that build started. Maven leaves a jar whose
 * classes did not change as it was, so the jars' own dates cannot tell whether a build is due.
 */
const BUILD_STAMP = path.join(javaRoot, 'target', 'fixtures-built.stamp');

/** True when every runnable module's jar exists and the last build started after every source change. */
export function fixturesUpToDate(): boolean {
  if (!existsSync(BUILD_STAMP) || !MODULES.every((m) => existsSync(moduleJar(m)))) {
    return false;
  }
  return statSync(BUILD_STAMP).mtimeMs >= newestMtime(javaRoot);
}

/**
 * Builds the Maven fixtures once (Maven's own cache in ~/.m2). Fails at once with a message naming
 * what is missing when Java or Maven is absent, never later with a timeout.
 */
export function buildFixtures(log: (line: string) => void = () => undefined): void {
  requireTool('java', ['-version'], 'Java (JDK 17+)');
  if (fixturesUpToDate()) {
    return;
  }
  requireTool('mvn', ['-v'], 'Maven');
  log('building Java fixtures with Maven (first run downloads Dubbo and ZooKeeper into ~/.m2)...');
  const started = Date.now();
  const result = spawnSync('mvn', ['-q', '-B', '-f', path.join(javaRoot, 'pom.xml'), '-DskipTests', 'package'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20 * 60 * 1000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`Maven build of test/java failed (status ${result.status}):\n${(result.stdout + result.stderr).slice(-6000)}`);
  }
  mkdirSync(path.dirname(BUILD_STAMP), { recursive: true });
  writeFileSync(BUILD_STAMP, `built by buildFixtures() at ${new Date(started).toISOString()}\n`);
  utimesSync(BUILD_STAMP, started / 1000, started / 1000);
  log(`Java fixtures built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
