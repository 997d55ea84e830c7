// Packaging checks for every publishable package: publint (package.json and
// files are right) and @arethetypeswrong/cli (ESM and CJS consumers both
// resolve working types). Runs inside `pnpm test`; exits non-zero on any problem.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = new URL('..', import.meta.url).pathname;
const packDir = mkdtempSync(join(tmpdir(), 'lf-pack-'));
let failed = 0;

try {
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const pkgDir = join(root, 'packages', dir);
    const { messages, pkg } = await publint({ pkgDir, level: 'suggestion', strict: true });
    for (const message of messages) {
      console.error(`publint ${dir}: ${formatMessage(message, pkg)}`);
      failed++;
    }
    // pnpm pack rewrites workspace:* to real versions, as a publish would.
    const out = execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: pkgDir, encoding: 'utf8' });
    const tarball = out.trim().split('\n').pop();
    try {
      const attw = (args) =>
        execFileSync(join(root, 'node_modules/.bin/attw'), [tarball, '--format', 'table-flipped', ...args], {
          cwd: root,
          encoding: 'utf8',
          stdio: 'pipe',
        });
      // The `./internal` entry point (lf's shared machinery) is for lf's own packages,
      // which resolve it with exports maps: node16 and bundlers, not node10.
      const exportsMap = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).exports ?? {};
      if ('./internal' in exportsMap) {
        attw(['--exclude-entrypoints', 'internal']);
        attw(['--entrypoints', 'internal', '--profile', 'node16']);
      } else {
        attw([]);
      }
      console.log(`ok   ${dir}: publint clean, types resolve for import and require`);
    } catch (error) {
      failed++;
      console.error(`attw ${dir}:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

if (failed > 0) {
  console.error(`packaging checks: ${failed} problem(s)`);
  process.exit(1);
}
console.log('packaging checks: all packages clean');
