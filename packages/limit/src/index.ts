export { Limiter, createLimiter } from './limiter.js';
export type { Release, ScheduleContext, ScheduleOptions, SignalOptions } from './limiter.js';
export { maxConcurrent } from './max-concurrent.js';
export type { ConcurrencyLimit, LimitedFunction } from './max-concurrent.js';
export type { MapContext } from './map-concurrent.js';
export { parallelMap } from './parallel-map.js';
