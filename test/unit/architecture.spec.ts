import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The layers of lib/ point down (lib/README.md draws them). This reads every import of every file
// and fails when one points the wrong way, so the shape cannot erode one convenient import at a time.

const lib = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../lib');

/** Folder → the folders of lib/ its files may import (besides their own). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  errors: [],
  logging: [],
  utils: ['logging'],
  protocol: ['errors', 'utils'],
  transport: ['protocol', 'errors', 'utils', 'logging'],
  // Consumer nodes carry the protocol version; provider URLs take the balancer's weight defaults.
  registry: ['protocol', 'cluster', 'errors', 'utils', 'logging'],
  // Failover tells an overload refusal of the transport from a failure; ClusterMode is a public type.
  cluster: ['transport', 'interfaces', 'errors', 'utils'],
  reference: ['cluster', 'registry', 'transport', 'protocol', 'options', 'interfaces', 'errors', 'utils', 'logging'],
  // The module's own defaults (retries, limits, shutdown) are in the root constants file, free of Nest.
  options: ['(root)/dubbo-generic.constants.ts', 'interfaces', 'transport', 'registry', 'protocol', 'errors', 'utils', 'logging'],
  interfaces: ['registry', 'transport', 'logging'],
  consumer: ['reference', 'registry', 'transport', 'options', 'interfaces', 'errors', 'utils', 'logging'],
};

/** Root files: the Nest module and what it exports. Only they may import Nest. */
const NEST_FILES = /^(dubbo-generic\.[a-z-]+|generic-client|index)\.ts$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

const files = sources(lib).map((f) => ({ file: f, rel: path.relative(lib, f).split(path.sep).join('/') }));

describe('the layers of lib/', () => {
  it('has a rule for every folder', () => {
    const folders = new Set(files.filter((f) => f.rel.includes('/')).map((f) => f.rel.split('/')[0]!));
    expect([...folders].sort()).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  it('imports only downwards: every import of a folder names one of the folders it may use', () => {
    const wrong: string[] = [];
    for (const { file, rel } of files) {
      const folder = rel.includes('/') ? rel.split('/')[0]! : undefined;
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) {
          continue;
        }
        const target = path
          .relative(lib, path.resolve(path.dirname(file), spec))
          .split(path.sep)
          .join('/');
        const targetFolder = target.includes('/') ? target.split('/')[0]! : '(root)';
        if (folder === undefined || targetFolder === folder) {
          continue;
        }
        const allowed = MAY_IMPORT[folder]!;
        if (!allowed.includes(targetFolder) && !allowed.includes(`(root)/${target.replace(/\.js$/, '.ts')}`)) {
          wrong.push(`${rel} imports ${target}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps Nest in the root files: nothing in a folder imports @nestjs/*', () => {
    const nest = files.filter(({ file }) => importsOf(file).some((s) => s.startsWith('@nestjs/'))).map((f) => f.rel);
    expect(nest.filter((rel) => rel.includes('/') || !NEST_FILES.test(rel))).toEqual([]);
    expect(nest.length).toBeGreaterThan(0);
  });

  it('keeps the only runtime package, node-zookeeper-client, behind one adapter file', () => {
    const users = files.filter(({ file }) => importsOf(file).includes('node-zookeeper-client')).map((f) => f.rel);
    expect(users).toEqual(['registry/zookeeper/zk-client.ts']);
  });
});
