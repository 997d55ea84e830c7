import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The page lives in `apps/playground/web`; the repository root holds the packages and `tests/runtimes`. */
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Serves the timeline page (`index.html`) and the browser runtime smoke page
 * (`runtime.html`). `@lf/async-utils` resolves through the workspace link to
 * the built umbrella (`packages/async-utils/dist`), exactly what a user installs.
 */
export default defineConfig({
  root: webRoot,
  resolve: {
    alias: {
      // The cross-runtime scenario owned by tests/runtimes, loaded as-is by runtime.html.
      'lf-runtime-scenario': `${repoRoot}tests/runtimes/scenario.mjs`,
    },
  },
  server: {
    fs: { allow: [repoRoot] },
  },
  build: {
    rollupOptions: {
      input: { timeline: `${webRoot}index.html`, runtime: `${webRoot}runtime.html` },
    },
  },
  clearScreen: false,
});
