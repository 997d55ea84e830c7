// Prints each package's built ESM entry size (minified by esbuild, then gzip),
// the figure of the README's package table. Run after `pnpm build`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const code = readFileSync(join(root, 'packages', dir, 'dist/index.js'), 'utf8');
  const min = transformSync(code, { minify: true, format: 'esm' }).code;
  const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
  console.log(`@lf/${dir}\t${kb(min.length)} min\t${kb(gzipSync(min).length)} min+gz`);
}
