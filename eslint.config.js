// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Runtime code must run on Node, Bun, Deno and browsers: web-standard APIs only. */
const runtimeOnly = {
  files: ['packages/*/src/**/*.ts'],
  ignores: ['**/*.test.ts', '**/*.test-d.ts', '**/*.node.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ group: ['node:*'], message: 'Runtime code uses web-standard APIs only (no node: imports).' }] },
    ],
    'no-restricted-globals': [
      'error',
      { name: 'process', message: 'Not available in browsers or Deno without a shim.' },
      { name: 'Buffer', message: 'Use Uint8Array.' },
      { name: 'setImmediate', message: 'Not a web-standard API.' },
      { name: 'require', message: 'ESM only in source.' },
    ],
  },
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'docs/api/**', '**/.turbo/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Abort reasons are `unknown` by the web platform's design: passing one on is correct.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  runtimeOnly,
  {
    files: ['**/*.test.ts', '**/*.test-d.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Node scripts: globals are Node's; TypeScript-aware projects leave no-undef to tsc.
    files: ['**/*.js', '**/*.mjs'],
    rules: { 'no-undef': 'off' },
  },
);
