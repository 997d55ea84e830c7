import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The browser end-to-end suite, run on its own (`pnpm test:e2e`), outside the
 * root projects: it serves apps/playground/web with Vite and drives Chromium.
 * It writes its JSON report beside the unit report, at the repository root.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const report = fileURLToPath(new URL('../../../.vitest-e2e-report.json', import.meta.url));

export default defineConfig({
  // Keep vitest's cache in the app's node_modules rather than creating e2e/node_modules.
  cacheDir: fileURLToPath(new URL('../node_modules/.vite/e2e', import.meta.url)),
  test: {
    name: 'e2e',
    root: here,
    include: ['**/*.e2e.test.ts'],
    // One browser at a time: the timing assertions want a quiet machine.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: report },
  },
});
