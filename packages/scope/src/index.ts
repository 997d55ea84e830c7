export { CancelledError, TimeoutError, isCancellation } from './errors.js';
export { sleep } from './sleep.js';
export { now, setTimer } from './timers.js';
export { onAbort, raceSignal, linkedController } from './signals.js';
export { checkNumber, checkBoolean, checkFunction, checkSignal, checkOptions } from './validate.js';
export type { NumberRule } from './validate.js';
