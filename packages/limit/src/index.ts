export { Limiter, createLimiter } from './limiter.js';
export type { Release, ScheduleContext, ScheduleOptions } from './limiter.js';
export type { SignalOptions } from './signal-options.js';
export { maxConcurrent } from './max-concurrent.js';
export type { ConcurrencyLimit, LimitedFunction } from './max-concurrent.js';
export type { MapContext } from './map/context.js';
export { parallelMap } from './parallel-map.js';
