import { defineConfig } from 'tsup';

/**
 * One build for every package: run from the package folder
 * (`tsup --config ../../tsup.config.ts`), it emits ESM (`index.js`),
 * CommonJS (`index.cjs`) and their declarations (`index.d.ts`, `index.d.cts`).
 * `@lf/*` imports stay external: each package resolves its siblings' built output.
 */
export default defineConfig({
  entry: ['src/index.ts'],
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
