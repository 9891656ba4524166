import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's surface, pinned: what `import 'nestjs-dubbo-generic'` gives at run time, which
// declaration files its types reach, and that those compile in a strict user project with
// skipLibCheck off. Adding to the surface is a decision: it fails here until this list says so.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
jest.setTimeout(180_000);

const RUNTIME_EXPORTS = [
  'ClientClosedError',
  'ConnectionClosedError',
  'ConnectionError',
  'DEFAULT_CONNECT_TIMEOUT_MS',
  'DEFAULT_HEARTBEAT_INTERVAL_MS',
  'DEFAULT_MAX_IN_FLIGHT',
  'DEFAULT_MAX_PAYLOAD_BYTES',
  'DEFAULT_MAX_REFERENCES',
  'DEFAULT_MAX_SERVICES',
  'DEFAULT_REGISTRY_CONNECT_TIMEOUT_MS',
  'DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS',
  'DEFAULT_RETRIES',
  'DEFAULT_ROOT_PATH',
  'DEFAULT_SESSION_TIMEOUT_MS',
  'DEFAULT_SHUTDOWN_TIMEOUT_MS',
  'DEFAULT_TIMEOUT_MS',
  'DubboConfigError',
  'DubboError',
  'DubboGenericModule',
  'GenericClient',
  'INVOCATION_LIMITS',
  'InjectDubboGenericOptions',
  'LimitExceededError',
  'MethodNotFoundError',
  'NoProviderError',
  'ProtocolError',
  'ProviderBusyError',
  'RESERVED_ATTACHMENT_KEYS',
  'RegistryConnectionError',
  'RegistryError',
  'RegistrySessionExpiredError',
  'RemoteError',
  'RemoteServiceError',
  'RpcTimeoutError',
  'SerializationError',
  'ServiceNotFoundError',
  'TransportError',
  'getDubboGenericOptionsToken',
  'getGenericClientToken',
];

/** Classes of the engine: none may be named by a declaration a user's compiler reads. */
const INTERNAL_CLASSES = [
  'DubboGenericBootstrap',
  'DubboConsumer',
  'ReferenceCache',
  'Reference',
  'ConnectionPool',
  'DubboConnection',
  'ZookeeperRegistry',
  'DirectRegistry',
  'RequestEncoder',
  'FrameDecoder',
  'Hessian2Encoder',
  'Hessian2Decoder',
  'StatusMachine',
  'PendingRequests',
];

function run(file: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

/** Every declaration file reachable from `entry` through relative imports and re-exports. */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) {
      return;
    }
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      visit(path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.d.ts')));
    }
  };
  visit(entry);
  return [...seen];
}

describe('the public API', () => {
  let work: string;
  let dist: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'dubbo-public-api-'));
    dist = path.join(work, 'node_modules', 'nestjs-dubbo-generic', 'dist');
    const build = await run(tsc, ['-p', path.join(root, 'tsconfig.build.json'), '--outDir', dist], root);
    if (build.code !== 0) {
      throw new Error(`tsc -p tsconfig.build.json failed:\n${build.out}`);
    }
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(
      path.join(work, 'node_modules', 'nestjs-dubbo-generic', 'package.json'),
      JSON.stringify({ name: manifest['name'], type: manifest['type'], types: manifest['types'], exports: manifest['exports'] }),
    );
    // What a user has: Nest and its peers, Node's types; none of this repository's other dev types.
    mkdirSync(path.join(work, 'node_modules', '@types'));
    for (const dep of ['@nestjs', '@types/node', 'reflect-metadata', 'rxjs', 'undici-types']) {
      symlinkSync(path.join(root, 'node_modules', dep), path.join(work, 'node_modules', dep), 'dir');
    }
  });

  afterAll(() => {
    if (work) {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('exports exactly the documented runtime names', async () => {
    const lib = (await import('../../lib/index.js')) as Record<string, unknown>;
    expect(Object.keys(lib).sort()).toEqual([...RUNTIME_EXPORTS].sort());
  });

  it('reaches only public declaration files from index.d.ts, none naming an engine class', () => {
    const files = reachable(path.join(dist, 'index.d.ts')).map((f) => path.relative(dist, f).split(path.sep).join('/'));
    expect(files.filter((f) => !f.startsWith('errors/')).sort()).toEqual(
      [
        'dubbo-generic.tokens.d.ts',
        'dubbo-generic.constants.d.ts',
        'dubbo-generic.module-definition.d.ts',
        'dubbo-generic.module.d.ts',
        'generic-client.d.ts',
        'index.d.ts',
        'interfaces/dubbo-generic-options.interface.d.ts',
        'interfaces/generic-invocation.interface.d.ts',
        'interfaces/status.interface.d.ts',
        'logging/logger.d.ts',
        'options/invocation-rules.d.ts',
        'protocol/constants.d.ts',
        'registry/registry-status.d.ts',
        'registry/zookeeper/defaults.d.ts',
        'transport/connection-status.d.ts',
        'transport/defaults.d.ts',
      ].sort(),
    );
    for (const file of files) {
      const text = readFileSync(path.join(dist, file), 'utf8');
      for (const name of INTERNAL_CLASSES) {
        expect({ file, mentions: new RegExp(`\\b${name}\\b`).test(text) ? name : undefined }).toEqual({ file, mentions: undefined });
      }
    }
  });

  it('compiles in a strict ES module project with skipLibCheck off, using the public types', async () => {
    const app = path.join(work, 'app.ts');
    writeFileSync(
      app,
      [
        "import 'reflect-metadata';",
        "import { Injectable, Module } from '@nestjs/common';",
        'import {',
        '  type ConnectionStatus, type DubboClientDiagnostics, type DubboClientSnapshot, DubboError, DubboGenericModule,',
        '  GenericClient, type GenericInvocation, NoProviderError, type RegistryStatus,',
        "} from 'nestjs-dubbo-generic';",
        '',
        '@Injectable()',
        'export class Users {',
        '  constructor(private readonly dubbo: GenericClient) {}',
        '  find(id: number): Promise<{ name: string }> {',
        "    const call: GenericInvocation = { service: 'com.acme.UserService', version: '1.0.0', method: 'find', parameterTypes: ['long'], args: [id] };",
        '    return this.dubbo.invoke<{ name: string }>(call);',
        '  }',
        '  health(): { registry: RegistryStatus; connections: ConnectionStatus[]; references: number } {',
        '    const s: DubboClientSnapshot = this.dubbo.snapshot();',
        '    const d: DubboClientDiagnostics = this.dubbo.diagnostics();',
        '    return { registry: s.registry.status, connections: s.connections.map((c) => c.status), references: d.references.cached };',
        '  }',
        '}',
        '',
        "@Module({ imports: [DubboGenericModule.forRoot({ application: 'app', registry: { address: '127.0.0.1:2181' } })], providers: [Users] })",
        'export class AppModule {}',
        '',
        'export function isMissing(e: unknown): boolean {',
        '  return e instanceof DubboError && e instanceof NoProviderError && e.code === "NO_PROVIDER";',
        '}',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          noEmit: true,
          types: ['node'],
        },
        files: ['app.ts'],
      }),
    );
    writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'public-api-user', private: true, type: 'module' }));
    mkdirSync(path.join(work, 'out'), { recursive: true });
    const result = await run(tsc, ['-p', path.join(work, 'tsconfig.json')], work);
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  });
});
