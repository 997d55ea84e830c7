export { alcall } from './alcall.js';
export { bcall } from './bcall.js';
export type { BCallOptions } from './bcall.js';
export { ALCallParams, BCallParams } from './params.js';
export type { ALCallOptions, CallContext, Progress, SharedLimiter, SharedRateLimiter } from './options.js';
export type { ALCallResult, ALCallElement, SettledResult } from './result.js';
export { alcallIter } from './iter.js';
export type { ALCallIterOptions } from './iter.js';
