// The consumer install test: lf tried the way a user tries a release candidate.
//
// Packs every publishable package (`pnpm pack`: workspace:* becomes the real
// version), installs the tarballs with npm into a fresh project in a temp dir
// OUTSIDE the workspace (the @lf/* dependencies between the tarballs are
// mapped to the tarballs with `overrides`; nothing comes from a registry),
// then, in that project:
//   - imports the umbrella and one single package from ESM and uses them;
//   - requires them from CommonJS and uses them;
//   - type-checks a small strict TypeScript file under `moduleResolution`
//     node16 (ESM and CJS files) and bundler, with `lib: ["es2022", "dom"]`
//     (dom for AbortSignal): no `esnext.disposable`, and `skipLibCheck:
//     false`, so lf's own declarations are checked too.
// TypeScript is the workspace's own compiler: the consumer installs nothing
// from a registry.
//
// Needs built packages (`pnpm build`). Prints one line per check and exits 1
// when any failed.  Usage: node tests/install/run.mjs [--keep]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'lf-consumer-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
mkdirSync(tarballs);
mkdirSync(app);

let failed = 0;
function check(name, fn) {
  try {
    const detail = fn();
    console.log(`ok   ${name}${detail ? `: ${detail}` : ''}`);
  } catch (error) {
    failed++;
    const out = [error.stdout, error.stderr].filter(Boolean).join('\n').trim();
    console.error(`FAIL ${name}: ${error.message.split('\n')[0]}${out ? `\n${out}` : ''}`);
  }
}
const run = (cmd, args, cwd = app) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' });

// ---- pack every publishable package
const packages = readdirSync(join(root, 'packages'))
  .sort()
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => pkg.private !== true);
const tarballOf = {};
for (const { dir, pkg } of packages) {
  if (!existsSync(join(root, 'packages', dir, 'dist'))) {
    failed++;
    console.error(`FAIL packages/${dir} has no dist: run pnpm build first (not installed)`);
    continue;
  }
  const out = run('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', dir));
  tarballOf[pkg.name] = `file:${out.trim().split('\n').pop()}`;
}
console.log(`packed ${Object.keys(tarballOf).join(', ')}`);

// ---- the consumer project: the umbrella and one single package, every @lf/* from its tarball
const single = '@lf/retry';
writeFileSync(
  join(app, 'package.json'),
  `${JSON.stringify(
    {
      name: 'lf-consumer',
      version: '1.0.0',
      private: true,
      description: 'A fresh project that installs the lf tarballs',
      license: 'MIT',
      dependencies: { '@lf/async-utils': tarballOf['@lf/async-utils'], [single]: tarballOf[single] },
      overrides: tarballOf,
    },
    null,
    2,
  )}\n`,
);

const esm = `
import { alcall, retry, sleep, CancelScope, TaskGroup } from '@lf/async-utils';
import { retry as singleRetry } from '${single}';
import { retry as umbrellaRetry } from '@lf/async-utils';
if (singleRetry !== umbrellaRetry) throw new Error('the umbrella and ${single} load two copies of retry');
let calls = 0;
const value = await retry(async () => { if (++calls < 2) throw new Error('once'); return 'ok'; }, { numRetries: 2 });
const doubled = await alcall([1, 2, 3], async (x, { signal }) => { await sleep(1, { signal }); return x * 2; }, { maxConcurrent: 2 });
const scope = new CancelScope({ timeout: 1000 });
const inScope = await scope.run(() => 'in scope');
scope[Symbol.dispose]();
console.log(JSON.stringify({ value, calls, doubled, inScope, group: typeof TaskGroup }));
`;
const cjs = `
const { alcall, sleep, CancelledError } = require('@lf/async-utils');
const { retry } = require('${single}');
(async () => {
  const doubled = await alcall([1, 2, 3], async (x) => { await sleep(1); return x * 2; });
  const value = await retry(() => 'ok');
  console.log(JSON.stringify({ value, doubled, cancelled: new CancelledError().name }));
})().catch((error) => { console.error(error); process.exit(1); });
`;
const ts = `
import { alcall, retry, CancelScope, TaskGroup, taskGroup, type ALCallParams } from '@lf/async-utils';
import { withRetry } from '${single}';

export async function main(signal: AbortSignal): Promise<number[]> {
  const results: number[] = await alcall([1, 2, 3], async (x: number, { signal: s }) => (s.aborted ? 0 : x * 2), {
    maxConcurrent: 2,
    numRetries: 1,
    signal,
  });
  const text: string = await retry(async () => 'ok', { numRetries: 2, retryDelay: 10 });
  const fetchTwice = withRetry(async (id: number) => id + 1, { numRetries: 1 });
  const next: number = await fetchTwice(1);
  const scope = new CancelScope({ timeout: 100 });
  const inScope: string | undefined = await scope.run(async () => 'done');
  scope[Symbol.dispose]();
  const tg: TaskGroup | undefined = undefined;
  await taskGroup(async (group) => {
    group.startSoon(async (n: number) => n * 2, 21);
  });
  const params: ALCallParams | undefined = undefined;
  return [...results, text.length, next, inScope?.length ?? 0, tg === undefined && params === undefined ? 1 : 0];
}
`;
writeFileSync(join(app, 'esm.mjs'), esm);
writeFileSync(join(app, 'cjs.cjs'), cjs);
writeFileSync(join(app, 'check.ts'), ts); // bundler
writeFileSync(join(app, 'check.mts'), ts); // node16, ESM
writeFileSync(join(app, 'check.cts'), ts); // node16, CommonJS
const strict = {
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  target: 'es2022',
};
// lib es2022, plus dom for AbortSignal — no esnext.disposable, and no @types/node (which
// declares Symbol.dispose itself and would hide a declaration that needs it).
writeFileSync(
  join(app, 'tsconfig.node16.json'),
  JSON.stringify({
    compilerOptions: { ...strict, module: 'node16', moduleResolution: 'node16', lib: ['es2022', 'dom'], types: [] },
    files: ['check.mts', 'check.cts'],
  }),
);
writeFileSync(
  join(app, 'tsconfig.bundler.json'),
  JSON.stringify({
    compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] },
    files: ['check.ts'],
  }),
);

const tsc = join(root, 'node_modules/typescript/bin/tsc');
try {
  check('npm install of the tarballs (offline, outside the workspace)', () => {
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--cache', join(work, 'npm-cache')]);
    const installed = readdirSync(join(app, 'node_modules/@lf')).sort();
    for (const name of installed) {
      const version = JSON.parse(readFileSync(join(app, 'node_modules/@lf', name, 'package.json'), 'utf8')).version;
      if (!existsSync(join(app, 'node_modules/@lf', name, 'LICENSE'))) throw new Error(`@lf/${name}@${version} has no LICENSE`);
    }
    const nested = run('npm', ['ls', '--all', '--parseable'])
      .split('\n')
      .filter((p) => /node_modules\/@lf\/[^/]+\/node_modules\/@lf\//.test(p));
    if (nested.length > 0) throw new Error(`nested copies of @lf packages: ${nested.join(', ')}`);
    return `@lf/{${installed.join(',')}}, each with LICENSE, one copy each`;
  });
  check('ESM: import the umbrella and @lf/retry', () => {
    const out = JSON.parse(run(process.execPath, ['esm.mjs']));
    const want = { value: 'ok', calls: 2, doubled: [2, 4, 6], inScope: 'in scope', group: 'function' };
    if (JSON.stringify(out) !== JSON.stringify(want)) throw new Error(`printed ${JSON.stringify(out)}, expected ${JSON.stringify(want)}`);
  });
  check('CommonJS: require the umbrella and @lf/retry', () => {
    const out = JSON.parse(run(process.execPath, ['cjs.cjs']));
    const want = { value: 'ok', doubled: [2, 4, 6], cancelled: 'CancelledError' };
    if (JSON.stringify(out) !== JSON.stringify(want)) throw new Error(`printed ${JSON.stringify(out)}, expected ${JSON.stringify(want)}`);
  });
  check('types: strict, moduleResolution node16 (.mts and .cts), lib es2022 + dom', () => {
    run(process.execPath, [tsc, '-p', 'tsconfig.node16.json']);
  });
  check('types: strict, moduleResolution bundler, lib es2022 + dom', () => {
    run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json']);
  });
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
if (failed > 0) {
  console.error(`consumer install test: ${failed} check(s) failed`);
  process.exit(1);
}
console.log('consumer install test: the tarballs install, import, require and type-check');
