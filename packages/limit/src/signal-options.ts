import { checkNumber, checkSignal, readOptions } from '@lf/scope/internal';

/**
 * `{ signal }`: the options of every lf limit call that only waits
 * (`acquire`, `schedule`, `onIdle`, `parallelMap`...).
 * @category Limits
 */
export interface SignalOptions {
  /** Aborting it removes the waiting call from the queue and rejects it with `signal.reason`. */
  signal?: AbortSignal | undefined;
}

const SIGNAL_ONLY = ['signal'] as const;

/** Checks a concurrency limit: an integer >= 1, or Infinity. */
export function checkLimit(value: unknown, name: string): number {
  return checkNumber(value, name, { min: 1, integer: true, allowInfinity: true });
}

/** Reads a `{ signal }` options object once (unknown names are TypeErrors) and checks the signal. */
export function readSignalOptions(fnName: string, options: unknown): AbortSignal | undefined {
  if (options === undefined) return undefined;
  const signal = readOptions(fnName, options, SIGNAL_ONLY).signal;
  checkSignal(signal);
  return signal;
}
