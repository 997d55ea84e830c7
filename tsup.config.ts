import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * One build for every package: run from the package folder
 * (`tsup --config ../../tsup.config.ts`), it emits ESM (`.js`), CommonJS
 * (`.cjs`) and the declarations of the entry points (`index.d.ts`, `index.d.cts`).
 *
 * Per-module output: every runtime source module (`src/**\/*.ts` but tests and
 * test helpers) becomes its own file in `dist/`, importing its neighbours
 * (`./errors.js` in ESM, `./errors.cjs` in CommonJS). A user's bundler then
 * keeps only the modules (and, with `"sideEffects": false`, the exports) the
 * import reaches, and `index` and `internal` share one copy of each module
 * instead of each carrying its own.
 * `@lf/*` imports stay external: each package resolves its siblings' built output.
 * A package with `src/internal.ts` also declares it: the `./internal` entry point
 * where lf's packages share machinery that is not part of the public surface.
 */

/** Runtime source modules: every `.ts` under `src/`, tests, type tests and test helpers left out. */
function sourceModules(dir = 'src'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceModules(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return [];
    if (/\.test(-d)?\.ts$/.test(entry.name) || /^test-helpers?\.ts$/.test(entry.name)) return [];
    return [path];
  });
}

/** Relative imports stay imports of the neighbouring output file, with the format's extension. */
const perModule: Plugin = {
  name: 'lf-per-module',
  setup(build) {
    const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      return { path: args.path.replace(/\.(js|ts)$/, '') + extension, external: true };
    });
  },
};

const entryPoints = existsSync('src/internal.ts') ? ['src/index.ts', 'src/internal.ts'] : ['src/index.ts'];

export default defineConfig({
  entry: existsSync('src') ? sourceModules() : entryPoints,
  format: ['esm', 'cjs'],
  dts: { entry: entryPoints },
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  tsconfig: '../../tsconfig.build.json',
  splitting: false,
  sourcemap: false,
  external: [/^@lf\//],
  esbuildPlugins: [perModule],
});
