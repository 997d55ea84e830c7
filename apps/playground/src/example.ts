import type { Report } from './report.js';

/**
 * One demo example: a seed example of `lionfuncs.async_utils`, in TypeScript.
 *
 * @example
 * ```ts
 * export const hello: Example = {
 *   id: 'hello',
 *   title: 'hello',
 *   async run(report) { report.line('hi'); },
 * };
 * ```
 */
export interface Example {
  /** Short name, used to pick examples on the command line. */
  readonly id: string;
  /** The heading printed above it. */
  readonly title: string;
  run(report: Report): Promise<void>;
}
