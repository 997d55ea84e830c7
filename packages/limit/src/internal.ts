/**
 * `@lf/limit/internal`: the map engine lf's own packages build on
 * (`@lf/alcall`), and the `{ signal }` reader every waiting call uses
 * (`@lf/redis`'s `RedisLimiter`). Not part of the public, semver-bound surface.
 *
 * @internal
 * @packageDocumentation
 */
export { mapConcurrent } from './map/map-concurrent.js';
export type { MapConcurrentOptions, MapContext } from './map/map-concurrent.js';
export { readSignalOptions } from './signal-options.js';
