/**
 * lf's shared test support: test code only (it imports vitest). Test files
 * import it as `@lf/test-support` (a vitest alias and a tsconfig path, like
 * the packages); runtime code never does (tests/graph.test.ts checks both).
 */
export * from './calls.js';
export * from './clock.js';
export * from './promises.js';
export * from './releases.js';
