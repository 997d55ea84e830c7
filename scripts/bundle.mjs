// How lf measures what a user's bundle gets, shared by sizes.mjs and size-features.mjs:
// esbuild bundles an ESM entry (platform neutral, ES2022, minified), then gzip at
// zlib's default level.
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The repository root. */
export const root = new URL('..', import.meta.url).pathname;

/**
 * Bundles `code` (an ESM entry resolved from `resolveDir`), returns its minified
 * and min+gz bytes, and the minified bytes each input file contributes (largest first).
 */
export async function measureBundle(code, { resolveDir = root, plugins = [], external = [] } = {}) {
  const result = await build({
    stdin: { contents: code, resolveDir, loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    plugins,
    external,
  });
  const out = result.outputFiles[0].contents;
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const contributors = Object.entries(inputs)
    .map(([file, { bytesInOutput }]) => ({ file: relative(root, join(root, file)), bytes: bytesInOutput }))
    .filter((c) => c.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return { min: out.length, gz: gzipSync(out).length, contributors };
}
