// Packaging checks for every publishable package: publint (package.json and
// files are right), @arethetypeswrong/cli (ESM and CJS consumers both
// resolve working types), the metadata a registry page shows (description,
// license, repository, keywords) and the LICENSE file in the tarball (a copy
// of the root LICENSE, committed in every package).
// Runs inside `pnpm test`; exits non-zero on any problem.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = new URL('..', import.meta.url).pathname;
const license = readFileSync(join(root, 'LICENSE'), 'utf8');

/** What a user sees on the registry page and in the tarball: every field present, no placeholder. */
function metadataProblems(dir, pkg, pkgDir) {
  const problems = [];
  if (typeof pkg.description !== 'string' || pkg.description.length < 10) problems.push('no description');
  if (pkg.license !== 'MIT') problems.push(`license is ${JSON.stringify(pkg.license)}, expected "MIT"`);
  const repo = pkg.repository;
  if (
    typeof repo !== 'object' ||
    repo === null ||
    repo.type !== 'git' ||
    !/^git\+https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/.test(repo.url ?? '') ||
    repo.directory !== `packages/${dir}`
  ) {
    problems.push(`repository must be { type: "git", url: "git+https://github.com/<owner>/<repo>.git", directory: "packages/${dir}" }`);
  }
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) problems.push('no keywords');
  if (!Array.isArray(pkg.files) || !pkg.files.includes('LICENSE')) problems.push('"files" does not list LICENSE');
  let own = '';
  try {
    own = readFileSync(join(pkgDir, 'LICENSE'), 'utf8');
  } catch {
    problems.push('no LICENSE file (copy the root LICENSE into the package)');
  }
  if (own !== '' && own !== license) problems.push('LICENSE differs from the root LICENSE');
  return problems;
}
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
    for (const problem of metadataProblems(dir, JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')), pkgDir)) {
      console.error(`metadata ${dir}: ${problem}`);
      failed++;
    }
    // pnpm pack rewrites workspace:* to real versions, as a publish would.
    const out = execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: pkgDir, encoding: 'utf8' });
    const tarball = out.trim().split('\n').pop();
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    if (!listing.includes('package/LICENSE')) {
      console.error(`tarball ${dir}: no LICENSE in ${tarball}`);
      failed++;
    }
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
      console.log(`ok   ${dir}: publint clean, metadata and LICENSE, types resolve for import and require`);
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
