/**
 * `@lf/retry/internal`: what `@lf/alcall` reuses of retry's machinery.
 * Not part of the public, semver-bound surface.
 *
 * @internal
 * @packageDocumentation
 */
export { backoffDelays } from './backoff.js';
export { validateRetryOptions } from './options.js';
