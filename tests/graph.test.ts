import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
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

/**
 * Test code is a `*.test.ts` file (`*.node.test.ts` when it needs Node's own
 * APIs), a `*.test-d.ts` type test, or lf's shared test support in
 * tests/support (imported as `@lf/test-support`). Everything else in
 * packages/<p>/src is runtime code: it ships.
 */
const isTest = (name: string): boolean => /\.test(-d)?\.ts$/.test(name);

/** The TypeScript files under `dir`: runtime code (`'runtime'`) or test code (`'test'`). */
function tsFiles(dir: string, kind: 'runtime' | 'test'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path, kind);
    return name.endsWith('.ts') && isTest(name) === (kind === 'test') ? [path] : [];
  });
}
const sourceFiles = (dir: string): string[] => tsFiles(dir, 'runtime');

/** The code of a file without its comments (TSDoc examples may mention anything). */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
}

/** Every module specifier a file imports or re-exports (`from '...'`, `import '...'`, `import('...')`). */
function specifiers(file: string): string[] {
  return [...code(file).matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
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
      for (const match of code(file).matchAll(/from\s+'([^'.][^']*)'/g)) {
        const specifier = match[1]!;
        // A subpath (`@lf/scope/internal`) belongs to its package (`@lf/scope`).
        const pkgName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        expect(declared.has(pkgName), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });

  it.each(dirs)('@lf/%s runtime code never imports test code (vitest, @lf/test-support, tests/)', (dir) => {
    for (const file of sourceFiles(join(root, 'packages', dir, 'src'))) {
      const name = relative(root, file);
      // A helper that only tests use is test code: it lives in tests/support, not beside the runtime code.
      expect(basename(file), `${name}: test helpers live in tests/support (import '@lf/test-support')`).not.toMatch(/test/i);
      for (const specifier of specifiers(file)) {
        expect(specifier, `${name} imports ${specifier}`).not.toMatch(/^(vitest|@vitest\/|@lf\/test-support$)/);
        if (specifier.startsWith('.')) {
          const target = relative(join(root, 'packages', dir), resolve(dirname(file), specifier));
          expect(target.startsWith('src'), `${name} imports ${specifier}, outside its package's src`).toBe(true);
        }
      }
    }
  });
});

describe('the shared test support (tests/support, imported as @lf/test-support)', () => {
  const support = join(root, 'tests', 'support');

  it('is test code: outside every package, resolved by the tsconfig path (vitest has the same alias)', () => {
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { paths: Record<string, string[]> };
    };
    expect(tsconfig.compilerOptions.paths['@lf/test-support']).toEqual(['./tests/support/index.ts']);
    const vitestConfig = readFileSync(join(root, 'vitest.config.ts'), 'utf8');
    expect(vitestConfig).toContain('tests/support/index.ts');
  });

  it('may import vitest and the @lf packages, nothing else outside itself', () => {
    for (const file of tsFiles(support, 'runtime')) {
      for (const specifier of specifiers(file)) {
        if (specifier.startsWith('./')) continue;
        expect(specifier, `${relative(root, file)} imports ${specifier}`).toMatch(/^(vitest$|@lf\/(?!test-support))/);
      }
    }
  });
});

/**
 * The naming rule for tests (CONTRIBUTING.md): `<subject>.test.ts` runs
 * anywhere the code runs (web-standard APIs only); `<subject>.node.test.ts`
 * needs Node itself (`node:` modules or Node-only globals); a package's type
 * tests are one `<package>.test-d.ts`.
 */
describe("the names of the packages' tests", () => {
  const dirs = readdirSync(join(root, 'packages')).sort();
  /** Node-only globals: a test that uses one is a `.node.test.ts`. */
  const nodeOnly = /\b(?:process|Buffer)\s*\.|\b(?:setImmediate|clearImmediate|require|getEventListeners)\s*\(|\b__(?:dirname|filename)\b/;
  /** The code of a file without its comments and string literals (a test's name may say "process"). */
  const bare = (file: string): string => code(file).replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");

  it.each(dirs)('@lf/%s: a test that needs Node is named *.node.test.ts; the others use web-standard APIs only', (dir) => {
    for (const file of tsFiles(join(root, 'packages', dir, 'src'), 'test')) {
      if (file.endsWith('.test-d.ts') || file.endsWith('.node.test.ts')) continue;
      const name = relative(root, file);
      for (const specifier of specifiers(file))
        expect(specifier, `${name} imports ${specifier}: name it *.node.test.ts`).not.toMatch(/^node:/);
      expect(nodeOnly.exec(bare(file))?.[0], `${name} uses a Node-only global: name it *.node.test.ts`).toBeUndefined();
    }
  });

  it.each(dirs)('@lf/%s: its type tests, if any, are one file named after the package', (dir) => {
    const typeTests = tsFiles(join(root, 'packages', dir, 'src'), 'test').filter((f) => f.endsWith('.test-d.ts'));
    expect(typeTests.map((f) => basename(f))).toEqual(typeTests.length === 0 ? [] : [`${dir}.test-d.ts`]);
  });
});
