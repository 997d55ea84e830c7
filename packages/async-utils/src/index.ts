/**
 * `@lf/async-utils`: every public name of the lf packages in one import.
 *
 * @example
 * ```ts
 * import { alcall, taskGroup, Throttle, toList } from '@lf/async-utils';
 * ```
 *
 * @packageDocumentation
 */
export * from '@lf/scope';
export * from '@lf/list-ops';
export * from '@lf/retry';
export * from '@lf/limit';
export * from '@lf/throttle';
export * from '@lf/alcall';
