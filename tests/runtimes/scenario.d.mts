/**
 * Runs the cross-runtime scenario against '@lf/async-utils' and resolves a
 * JSON-serialisable summary; rejects with an Error naming the first wrong result.
 *
 * @example
 * ```ts
 * import { run } from './scenario.mjs';
 * console.log(JSON.stringify(await run()));
 * ```
 */
export function run(): Promise<Record<string, unknown>>;
