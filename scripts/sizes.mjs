// What a user's bundle gets: esbuild bundles `export { X } from '@lf/pkg'` (or
// `export * from '@lf/pkg'`) against the BUILT packages (packages/*/dist, so run
// `pnpm build` first), platform neutral, minified, then gzips the output.
// Every row counts the code the import pulls in, the @lf siblings included.
//
//   node scripts/sizes.mjs            prints the table (and a few peers for context)
//   node scripts/sizes.mjs --check    also exits 1 when a row is past its budget
//                                     (scripts/size-budgets.json), listing the
//                                     source files that weigh most in that bundle
//
// Two figures per row in size-budgets.json: the budget (a ceiling CI enforces:
// no package may grow past it) and, where issue #18 set one, the target (what the
// package should reach; printed as met / not met, not enforced until it is met,
// when the budget comes down to it).
//   node scripts/sizes.mjs --readme   rewrites the size column of README.md's package table
//   node scripts/size-features.mjs    what each contract feature weighs in the headline imports
//
// Sizes are in kB = 1024 bytes (the unit of issue #18's figures and of the
// budgets); gzip at zlib's default level.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { measureBundle, root } from './bundle.mjs';

const args = new Set(process.argv.slice(2));
const { budgets, targets = {} } = JSON.parse(readFileSync(join(root, 'scripts/size-budgets.json'), 'utf8'));

/** Every workspace package: its name, folder and package.json. */
const packages = readdirSync(join(root, 'packages'))
  .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
  .sort()
  .map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    return { name: pkg.name, dir: join(root, 'packages', dir), pkg };
  });
const byName = new Map(packages.map((p) => [p.name, p]));

/** The headline import of a package (the README's figure), when it has one; else the whole entry. */
const headline = {
  '@lf/retry': 'retry',
  '@lf/limit': 'Limiter',
  '@lf/throttle': 'Throttle',
  '@lf/alcall': 'alcall',
};

/** The file an `@lf/...` specifier resolves to for an ESM importer: the package's exports map, `import` condition. */
function resolveLf(specifier) {
  const match = /^(@lf\/[^/]+)(\/.*)?$/.exec(specifier);
  const pkg = match && byName.get(match[1]);
  if (!pkg) return undefined;
  const sub = `.${match[2] ?? ''}`;
  let target = pkg.pkg.exports?.[sub];
  while (target && typeof target === 'object') target = target.import ?? target.default;
  if (typeof target !== 'string') throw new Error(`${specifier}: no ESM export '${sub}' in ${pkg.name}'s package.json`);
  const file = join(pkg.dir, target);
  if (!existsSync(file)) throw new Error(`${specifier}: ${relative(root, file)} is missing (run pnpm build first)`);
  return file;
}

/** The package an `@lf/...` specifier names. */
const lfPackage = (specifier) => byName.get(/^@lf\/[^/]+/.exec(specifier)?.[0] ?? '');

/** @lf/* resolve to the built dist of this checkout, with the package's `sideEffects` flag as a bundler reads it. */
const workspace = {
  name: 'lf-workspace',
  setup(b) {
    b.onResolve({ filter: /^@lf\// }, (a) => ({
      path: resolveLf(a.path),
      sideEffects: lfPackage(a.path)?.pkg.sideEffects !== false,
    }));
  },
};

/**
 * For the diagnosis only: @lf/* resolve to their TypeScript sources (`src/index.ts`, `src/internal.ts`), so the
 * metafile says which source file weighs what before tsup's transform (the dist is one file per source module
 * too, so the dist figures above already name the modules).
 */
const sources = {
  name: 'lf-sources',
  setup(b) {
    b.onResolve({ filter: /^@lf\// }, (a) => {
      const pkg = lfPackage(a.path);
      if (!pkg) return undefined;
      const sub = a.path.slice(pkg.name.length + 1) || 'index';
      return { path: join(pkg.dir, 'src', `${sub}.ts`), sideEffects: pkg.pkg.sideEffects !== false };
    });
  },
};

/** Bundles `code` (an ESM entry) against this checkout's built packages unless told otherwise. */
const measure = (code, { resolveDir = root, plugins = [workspace], external = [] } = {}) =>
  measureBundle(code, { resolveDir, plugins, external });

/** The measured rows: one per headline import, one per whole main entry. */
const rows = [];
for (const { name, pkg } of packages) {
  if (pkg.exports?.['.'] === undefined) continue;
  const named = headline[name];
  if (named) rows.push({ key: `${named} from ${name}`, pkg: name, label: `{ ${named} }`, code: `export { ${named} } from '${name}';` });
  rows.push({ key: `* from ${name}`, pkg: name, label: 'whole entry', code: `export * from '${name}';` });
}
// External bare imports (e.g. a redis client): not ours, not counted.
const externalPeers = [/^[^.@/][^:]*$/, /^@(?!lf\/)/];
const externalPlugin = {
  name: 'external-peers',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (a) => {
      const peer = a.kind !== 'entry-point' && externalPeers.some((re) => re.test(a.path));
      return peer ? { path: a.path, external: true } : undefined;
    });
  },
};
for (const row of rows) {
  try {
    Object.assign(row, await measure(row.code, { plugins: [workspace, externalPlugin] }));
  } catch (error) {
    row.error = error?.errors?.[0]?.text ?? String(error instanceof Error ? error.message : error).split('\n')[0];
  }
}

/** Peers for context (installed in benchmarks/), measured the same way; skipped when one is not installed. */
const peers = [];
for (const [label, code] of [
  ['p-map', `export { default } from 'p-map';`],
  ['p-limit', `export { default } from 'p-limit';`],
  ['p-throttle', `export { default } from 'p-throttle';`],
  ['p-retry', `export { default } from 'p-retry';`],
]) {
  try {
    peers.push({ label, ...(await measure(code, { resolveDir: join(root, 'benchmarks'), plugins: [] })) });
  } catch {
    // not installed: context only
  }
}

/** 1 kB = 1024 bytes, the unit of the budgets. */
const KB = 1024;
const kB = (bytes) => `${(bytes / KB).toFixed(2)} kB`;
const lines = ['| import | min | min+gz | budget (min+gz) | | target | |', '| --- | ---: | ---: | ---: | --- | ---: | --- |'];
const over = [];
const unbudgeted = [];
const failed = rows.filter((row) => row.error !== undefined);
for (const row of failed) lines.push(`| \`${row.key}\` | | | | could not bundle: ${row.error} | | |`);
for (const row of rows.filter((r) => r.error === undefined)) {
  const budget = budgets[row.key];
  const verdict = budget === undefined ? 'no budget' : row.gz <= budget * KB ? 'ok' : `OVER by ${kB(row.gz - budget * KB)}`;
  if (budget !== undefined && row.gz > budget * KB) over.push(row);
  if (budget === undefined) unbudgeted.push(row.key);
  const target = targets[row.key];
  const reached = target === undefined ? '' : row.gz <= target * KB ? 'met' : `not met (${kB(row.gz - target * KB)} over)`;
  lines.push(
    `| \`${row.key}\` | ${kB(row.min)} | ${kB(row.gz)} | ${budget === undefined ? '-' : kB(budget * KB)} | ${verdict} | ${target === undefined ? '' : kB(target * KB)} | ${reached} |`,
  );
}
for (const peer of peers) lines.push(`| \`${peer.label}\` (peer, for context) | ${kB(peer.min)} | ${kB(peer.gz)} | | | | |`);
console.log(lines.join('\n'));

if (args.has('--readme')) {
  const file = join(root, 'README.md');
  const text = readFileSync(file, 'utf8');
  const figure = (key) => rows.find((r) => r.key === key && r.error === undefined)?.gz;
  let changed = 0;
  const next = text.replace(/^(\| \[`(@lf\/[^`]+)`\][^\n]*\| )([^|\n]*)( \|)$/gm, (line, head, name, _cell, tail) => {
    const whole = figure(`* from ${name}`);
    if (whole === undefined) return line;
    const named = headline[name];
    const cell = named ? `\`${named}\` ${kB(figure(`${named} from ${name}`))}; whole entry ${kB(whole)}` : kB(whole);
    changed++;
    return `${head}${cell}${tail}`;
  });
  const note = next.replace(
    /^Sizes are [^\n]*\n/m,
    'Sizes are what a bundle gets from the package\'s main import, its @lf dependencies included (esbuild bundling the built ESM, platform neutral, minified, gzipped; kB = 1024 bytes): `node scripts/sizes.mjs` prints them, `pnpm check:sizes` fails past `scripts/size-budgets.json`. Every package ships one dist file per source module and `"sideEffects": false`, so a bundler keeps only the modules (and exports) an import reaches.\n',
  );
  writeFileSync(file, note);
  console.log(`README.md: ${changed} size cells written`);
}

if (args.has('--check')) {
  // A package new to the workspace gets a warning, not a failure: its owner sets its budget in size-budgets.json.
  for (const key of unbudgeted) console.warn(`warning: \`${key}\` has no budget in scripts/size-budgets.json`);
  for (const row of failed) console.error(`${row.key}: could not bundle (${row.error})`);
  if (failed.length > 0) process.exitCode = 1;
  if (over.length === 0) {
    console.log('every import within its budget');
  } else {
    for (const row of over) {
      const budget = budgets[row.key];
      console.error(`\n${row.key}: ${kB(row.gz)} min+gz, budget ${kB(budget * KB)}. Largest inputs (minified bytes in the bundle):`);
      for (const c of row.contributors.slice(0, 8)) console.error(`  ${String(c.bytes).padStart(6)} B  ${c.file}`);
      try {
        const fromSource = await measure(row.code, { plugins: [sources, externalPlugin] });
        console.error(`  bundled from the sources instead (${kB(fromSource.gz)} min+gz), by source file:`);
        for (const c of fromSource.contributors.slice(0, 12)) console.error(`  ${String(c.bytes).padStart(6)} B  ${c.file}`);
      } catch (error) {
        console.error(`  (the sources do not bundle right now: ${String(error).split('\n')[0]})`);
      }
    }
    process.exitCode = 1;
  }
}
