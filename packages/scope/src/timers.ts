/** Largest delay `setTimeout` honours; longer ones fire at once on most runtimes. */
const MAX_TIMEOUT = 2_147_483_647;

/**
 * The monotonic clock every lf package uses for deadlines and slots
 * (`performance.now()`, in ms).
 *
 * @example
 * ```ts
 * const scope = new CancelScope({ deadline: now() + 500 });
 * ```
 *
 * @category Cancellation
 */
export function now(): number {
  return performance.now();
}

/**
 * Calls `callback` after `ms` milliseconds (any length, `Infinity` = never)
 * and returns a function that cancels it. Delays longer than `setTimeout`'s
 * 24.8-day limit are re-armed instead of firing early.
 *
 * @example
 * ```ts
 * const cancel = setTimer(1000, () => console.log('late'));
 * cancel(); // nothing is printed, no timer is left
 * ```
 */
export function setTimer(ms: number, callback: () => void): () => void {
  if (ms === Infinity) return noop;
  let handle: ReturnType<typeof setTimeout>;
  if (ms <= MAX_TIMEOUT) {
    handle = setTimeout(callback, ms);
  } else {
    const target = now() + ms;
    const arm = (delay: number): void => {
      handle = setTimeout(
        () => {
          const left = target - now();
          if (left > 0) arm(left);
          else callback();
        },
        Math.min(delay, MAX_TIMEOUT),
      );
    };
    arm(ms);
  }
  return () => {
    clearTimeout(handle);
  };
}

/** Does nothing: the cancel function of a timer that never fires, and a handler that swallows. */
export function noop(): void {
  /* nothing to do */
}
