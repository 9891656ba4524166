import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureEnv } from '../../tools/dubbo-env/fixture-env.js';
import { repoRoot } from '../../tools/dubbo-env/java-fixtures.js';

/**
 * The package is ESM only. This proves that the packed tarball, installed from npm like any
 * dependency, loads and works in a NestJS 11 application written in CommonJS (through Node's
 * require(esm)) and in a NestJS 12 application written as ES modules: boot an application context,
 * call EchoService over ZooKeeper, check that errors are `instanceof DubboError`, close, and exit by
 * itself (no handle left open).
 *
 * Set COMPAT_KEEP=1 to keep the temporary directory for inspection.
 */

const env = fixtureEnv();
const KEEP = process.env['COMPAT_KEEP'] === '1';
const INSTALL_TIMEOUT_MS = 8 * 60_000;
const RUN_TIMEOUT_MS = 90_000;

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end (killed by PID after timeoutMs), collecting its output. */
function run(command: string, args: string[], cwd: string, timeoutMs: number, extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...extraEnv, npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
      }
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run '${command} ${args.join(' ')}' in ${cwd}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout, stderr, ms: Date.now() - started };
      if (timedOut) {
        reject(
          new Error(`'${command} ${args.join(' ')}' in ${cwd} did not finish within ${timeoutMs} ms and was killed\n${formatRun(result)}`),
        );
        return;
      }
      resolve(result);
    });
  });
}

function formatRun(r: RunResult): string {
  return `exit code ${r.code}, signal ${r.signal}, ${r.ms} ms\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`;
}

async function mustRun(
  what: string,
  command: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
  extraEnv?: Record<string, string>,
): Promise<RunResult> {
  const result = await run(command, args, cwd, timeoutMs, extraEnv);
  if (result.code !== 0) {
    throw new Error(`${what} failed: '${command} ${args.join(' ')}' in ${cwd}\n${formatRun(result)}`);
  }
  return result;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// --- the two throwaway applications: plain JavaScript, Nest's programmatic API, no decorator syntax ---

/**
 * What both applications define and do once their imports are in place: the module, then the calls,
 * each outcome noted in `out`, printed as one RESULT line. `label` names the module system in the echo.
 */
const scenario = (application: string, label: string): string => String.raw`
class AppModule {}
Module({
  imports: [
    DubboGenericModule.forRoot({ application: '${application}', registry: { address: process.env.COMPAT_ZK }, logger: false }),
  ],
})(AppModule);

async function scenario(app, out) {
  try {
    const client = app.get(GenericClient);
    out.status = client.status;
    out.echo = await client.invoke({
      service: 'org.apache.dubbo.test.EchoService', version: '1.0.0',
      method: 'echo', parameterTypes: ['java.lang.String'], args: ['hello from NestJS ' + nestVersion + ' (${label})'],
    });
    const handle = client.service('org.apache.dubbo.test.EchoService', { version: '1.0.0' });
    out.echoHandle = await handle.$invoke('echo', ['java.lang.String'], ['handle']);
    try {
      await client.invoke({ service: 'org.apache.dubbo.test.NoSuchService', version: '1.0.0', method: 'x', parameterTypes: [], args: [] });
      out.noProvider = 'resolved';
    } catch (err) {
      out.noProvider = { name: err.name, code: err.code, isDubboError: err instanceof DubboError, isNoProviderError: err instanceof NoProviderError };
    }
    try {
      await client.invoke({ service: 'org.apache.dubbo.test.FailService', version: '1.0.0', method: 'throwChecked', parameterTypes: ['java.lang.String'], args: ['bad'] });
      out.remote = 'resolved';
    } catch (err) {
      out.remote = { code: err.code, javaClass: err.javaClass, isDubboError: err instanceof DubboError, isRemoteServiceError: err instanceof RemoteServiceError };
    }
  } finally {
    await app.close();
  }
  out.closedStatus = app.get(GenericClient).status;
  console.log('RESULT ' + JSON.stringify(out));
}
`;

const CJS_MAIN = String.raw`'use strict';
require('reflect-metadata');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const dubbo = require('nestjs-dubbo-generic');
const { DubboError, DubboGenericModule, GenericClient, NoProviderError, RemoteServiceError } = dubbo;

const nestVersion = JSON.parse(readFileSync(path.join(__dirname, 'node_modules/@nestjs/core/package.json'), 'utf8')).version;
${scenario('compat-cjs', 'CommonJS')}
async function main() {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  await scenario(app, {
    flavor: 'cjs',
    nestVersion,
    loadedAs: Object.prototype.toString.call(dubbo),
    resolved: path.relative(__dirname, require.resolve('nestjs-dubbo-generic')),
  });
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exitCode = 1;
});
`;

const ESM_MAIN = String.raw`import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as dubbo from 'nestjs-dubbo-generic';
import { DubboError, DubboGenericModule, GenericClient, NoProviderError, RemoteServiceError } from 'nestjs-dubbo-generic';

const here = path.dirname(fileURLToPath(import.meta.url));
const nestVersion = JSON.parse(readFileSync(path.join(here, 'node_modules/@nestjs/core/package.json'), 'utf8')).version;
${scenario('compat-esm', 'ESM')}
const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
await scenario(app, {
  flavor: 'esm',
  nestVersion,
  loadedAs: Object.prototype.toString.call(dubbo),
  resolved: path.relative(here, fileURLToPath(import.meta.resolve('nestjs-dubbo-generic'))),
  // The same package through require() from an ES module: one copy of every class.
  sameClassThroughRequire: createRequire(import.meta.url)('nestjs-dubbo-generic').GenericClient === GenericClient,
});
`;

interface AppSpec {
  dir: string;
  packageJson: Record<string, unknown>;
  deps: string[];
  entry: string;
  source: string;
}

function parseResult(r: RunResult, what: string): Record<string, unknown> {
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.code !== 0 || !line) {
    throw new Error(`${what} did not print its RESULT line and exit 0\n${formatRun(r)}`);
  }
  return JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
}

describe('the packed ESM-only package in real NestJS applications', () => {
  let work: string;
  let tarball: string;
  const apps: Record<'cjs' | 'esm', AppSpec> = {} as Record<'cjs' | 'esm', AppSpec>;
  const timings: Record<string, number> = {};

  beforeAll(
    async () => {
      const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
      if (major < 20 || (major === 20 && minor < 19)) {
        throw new Error(`Node ${process.versions.node}: the package needs Node >= 20.19 (require(esm) on by default)`);
      }
      work = mkdtempSync(path.join(tmpdir(), 'dubbo-compat-'));

      // 1. Build exactly as `npm run build` does, but into the temporary directory (dist/ is left alone).
      const pkgDir = path.join(work, 'package');
      let t = Date.now();
      await mustRun(
        'building the package (tsc -p tsconfig.build.json)',
        process.execPath,
        [
          path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
          '-p',
          path.join(repoRoot, 'tsconfig.build.json'),
          '--outDir',
          path.join(pkgDir, 'dist'),
        ],
        repoRoot,
        5 * 60_000,
      );
      timings['build'] = Date.now() - t;

      // 2. Pack it with the repository's package.json (minus scripts and dev dependencies).
      const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
      delete manifest['scripts'];
      delete manifest['devDependencies'];
      writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify(manifest, null, 2));
      t = Date.now();
      const packed = await mustRun('npm pack', npm, ['pack', '--json', '--pack-destination', work], pkgDir, 2 * 60_000);
      timings['pack'] = Date.now() - t;
      const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
      if (!info) {
        throw new Error(`npm pack printed no file list:\n${formatRun(packed)}`);
      }
      tarball = path.join(work, info.filename);
      const files = info.files.map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts']));
      expect(files.filter((f) => !f.startsWith('dist/') && f !== 'package.json')).toEqual([]);

      // 3. Two applications outside the repository, each installing the tarball like any dependency.
      apps.cjs = {
        dir: path.join(work, 'nest11-cjs'),
        packageJson: { name: 'compat-nest11-cjs', private: true, type: 'commonjs' },
        deps: ['@nestjs/common@11', '@nestjs/core@11', 'reflect-metadata@0.2', 'rxjs@7'],
        entry: 'main.cjs',
        source: CJS_MAIN,
      };
      apps.esm = {
        dir: path.join(work, 'nest12-esm'),
        packageJson: { name: 'compat-nest12-esm', private: true, type: 'module' },
        deps: ['@nestjs/common@12', '@nestjs/core@12', 'reflect-metadata@0.2', 'rxjs@7'],
        entry: 'main.mjs',
        source: ESM_MAIN,
      };
      await Promise.all(
        Object.entries(apps).map(async ([name, app]) => {
          mkdirSync(app.dir, { recursive: true });
          writeFileSync(path.join(app.dir, 'package.json'), JSON.stringify(app.packageJson, null, 2));
          writeFileSync(path.join(app.dir, app.entry), app.source);
          const started = Date.now();
          await mustRun(
            `npm install in the ${name} application`,
            npm,
            ['install', '--no-audit', '--no-fund', '--loglevel=error', ...app.deps, tarball],
            app.dir,
            INSTALL_TIMEOUT_MS,
          );
          timings[`install ${name}`] = Date.now() - started;
        }),
      );
    },
    INSTALL_TIMEOUT_MS + 6 * 60_000,
  );

  afterAll(() => {
    process.stderr.write(`\n[compat] timings (ms): ${JSON.stringify(timings)}${KEEP && work ? `; kept ${work}` : ''}\n`);
    if (work && !KEEP) {
      rmSync(work, { recursive: true, force: true });
    }
  });

  const expected = (flavor: 'cjs' | 'esm', label: string) => ({
    flavor,
    loadedAs: '[object Module]',
    resolved: path.join('node_modules', 'nestjs-dubbo-generic', 'dist', 'index.js'),
    status: 'ready',
    echo: expect.stringMatching(new RegExp(`^hello from NestJS ${flavor === 'cjs' ? '11' : '12'}\\.\\d+\\.\\d+ \\(${label}\\)$`)),
    echoHandle: 'handle',
    noProvider: { name: 'NoProviderError', code: 'NO_PROVIDER', isDubboError: true, isNoProviderError: true },
    remote: {
      code: 'REMOTE_SERVICE_ERROR',
      javaClass: 'org.apache.dubbo.test.BusinessException',
      isDubboError: true,
      isRemoteServiceError: true,
    },
    closedStatus: 'closed',
  });

  it('NestJS 11, CommonJS: require() loads the ES module, calls EchoService, errors are instanceof DubboError, exits by itself', async () => {
    const r = await run(process.execPath, [apps.cjs.entry], apps.cjs.dir, RUN_TIMEOUT_MS, { COMPAT_ZK: env.zk });
    const result = parseResult(r, 'the NestJS 11 CommonJS application');
    expect(result).toEqual({ ...expected('cjs', 'CommonJS'), nestVersion: expect.stringMatching(/^11\./) });
  });

  it('NestJS 12, ES modules: import loads the package, calls EchoService, errors are instanceof DubboError, exits by itself', async () => {
    const r = await run(process.execPath, [apps.esm.entry], apps.esm.dir, RUN_TIMEOUT_MS, { COMPAT_ZK: env.zk });
    const result = parseResult(r, 'the NestJS 12 ESM application');
    expect(result).toEqual({ ...expected('esm', 'ESM'), nestVersion: expect.stringMatching(/^12\./), sameClassThroughRequire: true });
  });
});
