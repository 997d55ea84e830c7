export { retry } from './retry.js';
export { withRetry } from './with-retry.js';
export { NonRetryableError } from './errors.js';
export type { Jitter, RetryContext, RetryOptions } from './options.js';
