import { onAbort } from './signals.js';
import { setTimer } from './timers.js';
import { readOptions } from './options.js';
import { checkNumber, checkSignal } from './validate.js';

const SLEEP_OPTIONS = ['signal'] as const;

/**
 * Waits `ms` milliseconds. With a `signal`, rejects with `signal.reason` as
 * soon as it aborts (at once if it already has) and clears its timer; when the
 * time is up it removes its abort listener. `sleep(Infinity, { signal })`
 * waits for the abort alone.
 *
 * @throws RangeError when `ms` is negative or NaN, TypeError when it is not a
 * number, when `options` has an unknown name or `signal` is not an AbortSignal.
 *
 * @example
 * ```ts
 * await sleep(100);
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(new Error('stop')), 10);
 * await sleep(1000, { signal: controller.signal }); // rejects after ~10 ms with Error('stop')
 * ```
 *
 * @category Cancellation
 */
export function sleep(ms: number, options?: { signal?: AbortSignal | undefined }): Promise<void> {
  checkNumber(ms, 'ms', { min: 0, allowInfinity: true });
  const signal = readOptions('sleep', options, SLEEP_OPTIONS).signal;
  checkSignal(signal);
  if (signal === undefined) {
    return new Promise((resolve) => {
      setTimer(ms, resolve);
    });
  }
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const cancel = setTimer(ms, () => {
      off();
      resolve();
    });
    const off = onAbort(signal, (reason) => {
      cancel();
      reject(reason);
    });
  });
}
