/**
 * `@lf/retry/internal`: what `@lf/alcall` reuses of retry's machinery
 * (prepare the options once, run the loop per item).
 * Not part of the public, semver-bound surface.
 *
 * @internal
 * @packageDocumentation
 */
export { RETRY_OPTION_NAMES } from './options.js';
export { prepareRetry } from './prepare.js';
export type { PreparedRetry } from './prepare.js';
export { backoffDelays } from './backoff.js';
