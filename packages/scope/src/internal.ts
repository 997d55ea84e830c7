/**
 * `@lf/scope/internal`: the building blocks lf's own packages share
 * (validators, option reading, signal and timer helpers, the linked queue).
 * Not part of the public, semver-bound surface, and not re-exported by the
 * umbrella: use the main entry point.
 *
 * @internal
 * @packageDocumentation
 */
export { now, setTimer, noop } from './timers.js';
export { onAbort, raceSignal, linkedController, isThenable, throwIfAborted } from './signals.js';
export { checkNumber, checkBoolean, checkFunction, checkSignal, checkOptions, mistyped } from './validate.js';
export type { NumberRule } from './validate.js';
export { readOptions, suggestName } from './options.js';
export { checkDecoratorTarget } from './decorator.js';
export { LinkedQueue } from './queue.js';
export type { Linked } from './queue.js';
export { isCancellationOrTimeout } from './errors.js';
export { yieldToEventLoop } from './yield.js';
