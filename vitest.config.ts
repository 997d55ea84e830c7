import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Every workspace package resolves to its TypeScript source in tests. */
const packageDirs = readdirSync(`${root}packages`).filter((d) => existsSync(`${root}packages/${d}/package.json`));
const alias = packageDirs.flatMap((d) => [
  // `@lf/<pkg>/internal`: the entry point lf's packages share machinery through.
  { find: new RegExp(`^@lf/${d}/internal$`), replacement: `${root}packages/${d}/src/internal.ts` },
  { find: new RegExp(`^@lf/${d}$`), replacement: `${root}packages/${d}/src/index.ts` },
]);
// lf's shared test support (test code only, never published): tests/support.
alias.push({ find: /^@lf\/test-support$/, replacement: `${root}tests/support/index.ts` });

/** One vitest project per package (and per app), plus the workspace-level checks in `tests/`. */
const projectDirs = [...packageDirs.map((d) => `packages/${d}`), ...readdirSync(`${root}apps`).map((d) => `apps/${d}`), 'tests'];

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: `${root}.vitest-report.json` },
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split('/').pop(),
        root: `${root}${dir}`,
        include: ['**/*.test.ts'],
        exclude: ['**/node_modules/**', '**/dist/**', '**/e2e/**'],
        setupFiles: [`${root}tests/setup/hygiene.ts`],
        typecheck: {
          enabled: true,
          include: ['**/*.test-d.ts'],
          tsconfig: `${root}tsconfig.json`,
          // Source files are type-checked once by `pnpm typecheck`; here only the type tests count.
          ignoreSourceErrors: true,
        },
      },
    })),
  },
});
