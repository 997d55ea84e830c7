import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The page lives in `apps/playground/web`; the repository root holds the packages and `tests/runtimes`. */
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Serves the timeline page (`index.html`), the rate window page (`rate.html`) and the browser runtime smoke page
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
  // Pre-bundled at start-up: found on first load instead, it would make Vite reload the page
  // (and with HMR off, as in the e2e suite, leave it on stale imports).
  optimizeDeps: { include: ['p-throttle'] },
  build: {
    rollupOptions: {
      input: { timeline: `${webRoot}index.html`, rate: `${webRoot}rate.html`, runtime: `${webRoot}runtime.html` },
    },
  },
  clearScreen: false,
});
