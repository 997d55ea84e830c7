export { retry } from './retry.js';
export { withRetry } from './with-retry.js';
export { backoffDelays } from './backoff.js';
export { validateRetryOptions } from './options.js';
export type { Jitter, RetryContext, RetryOptions } from './options.js';
