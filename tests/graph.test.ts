import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

/** The dependency direction of API.md: a package may use only these. */
const allowed: Record<string, string[]> = {
  scope: [],
  'list-ops': [],
  retry: ['scope'],
  limit: ['scope'],
  throttle: ['scope'],
  alcall: ['scope', 'list-ops', 'retry', 'limit', 'throttle'],
  'async-utils': ['scope', 'list-ops', 'retry', 'limit', 'throttle', 'alcall'],
  redis: ['scope', 'limit', 'throttle'],
};

/** Optional peer dependencies a package may declare: the user's own client, never installed by lf. */
const optionalPeers: Record<string, string[]> = { redis: ['ioredis', 'redis'] };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(name) ? [path] : [];
  });
}

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

describe('the package graph', () => {
  const dirs = readdirSync(join(root, 'packages')).sort();

  it('has exactly the packages of API.md', () => {
    expect(dirs).toEqual(Object.keys(allowed).sort());
  });

  it.each(dirs)('@lf/%s depends only downward and only on @lf packages', (dir) => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as PackageJson;
    expect(pkg.name).toBe(`@lf/${dir}`);
    const deps = Object.keys(pkg.dependencies ?? {});
    const peers = Object.keys(pkg.peerDependencies ?? {});
    expect(peers.sort()).toEqual((optionalPeers[dir] ?? []).slice().sort());
    for (const peer of peers) expect(pkg.peerDependenciesMeta?.[peer]?.optional, `${peer} must be optional`).toBe(true);
    for (const dep of deps) {
      expect(dep, `${pkg.name} may not depend on ${dep}`).toMatch(/^@lf\//);
      expect(allowed[dir], `${pkg.name} may not depend on ${dep}`).toContain(dep.slice(4));
      expect(pkg.dependencies?.[dep]).toBe('workspace:*');
    }
  });

  it.each(dirs)('@lf/%s imports only what its package.json declares', (dir) => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as PackageJson;
    const declared = new Set(Object.keys(pkg.dependencies ?? {}));
    for (const file of sourceFiles(join(root, 'packages', dir, 'src'))) {
      // Comments (TSDoc examples) may mention any package; only real imports count.
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const match of text.matchAll(/from\s+'([^'.][^']*)'/g)) {
        const specifier = match[1]!;
        // A subpath (`@lf/scope/internal`) belongs to its package (`@lf/scope`).
        const pkgName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        expect(declared.has(pkgName), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });
});
