/** tests/runtimes/scenario.mjs, aliased by vite.config.ts: throws (rejects) on any wrong result. */
declare module 'lf-runtime-scenario' {
  export function run(): Promise<unknown>;
}
