import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

/**
 * One build for every package: run from the package folder
 * (`tsup --config ../../tsup.config.ts`), it emits ESM (`index.js`),
 * CommonJS (`index.cjs`) and their declarations (`index.d.ts`, `index.d.cts`).
 * `@lf/*` imports stay external: each package resolves its siblings' built output.
 * A package with `src/internal.ts` also builds it: the `./internal` entry point
 * where lf's packages share machinery that is not part of the public surface.
 */
export default defineConfig({
  entry: existsSync('src/internal.ts') ? ['src/index.ts', 'src/internal.ts'] : ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  tsconfig: '../../tsconfig.build.json',
  splitting: false,
  sourcemap: false,
  external: [/^@lf\//],
});
