import { retry, type RetryContext } from '@lf/retry';
import { validateRetryOptions } from '@lf/retry/internal';
import type { Snapshot } from './options.js';

/** Retry's option names, as alcall reads them (its `signal` is alcall's own). */
export const RETRY_NAMES = [
  'numRetries',
  'retryDelay',
  'backoffFactor',
  'maxDelay',
  'jitter',
  'random',
  'retryTimeout',
  'retryDefault',
  'retryTiming',
  'shouldRetry',
  'onRetry',
] as const;

/** The retry step of every item of one call, prepared once. */
export interface ItemRetry {
  /** True when retrying changes nothing a single plain call would do: the step is left out. */
  readonly passthrough: boolean;
  /** Runs `fn`'s attempts under `signal`; `beforeAttempt` is awaited before each attempt with its signal. */
  run(
    fn: (ctx: RetryContext) => unknown,
    signal: AbortSignal,
    beforeAttempt?: (signal: AbortSignal) => unknown,
  ): Promise<unknown>;
}

/** Validates the retry options of a snapshot once (TypeError/RangeError naming the option). */
export function prepareItemRetry(o: Snapshot): ItemRetry {
  const options: Record<string, unknown> = {};
  for (const name of RETRY_NAMES) if (name in o) options[name] = o[name];
  validateRetryOptions(options);
  const passthrough = !(
    (typeof options.numRetries === 'number' && options.numRetries > 0) ||
    (options.retryTimeout !== undefined && options.retryTimeout !== Infinity) ||
    'retryDefault' in options ||
    options.retryTiming === true
  );
  return {
    passthrough,
    run(fn, signal, beforeAttempt) {
      const attempts = new Attempts();
      const attempt =
        beforeAttempt === undefined
          ? (ctx: RetryContext) => attempts.track(fn(ctx))
          : (ctx: RetryContext) => attempts.track(Promise.resolve(beforeAttempt(ctx.signal)).then(() => fn(ctx)));
      return retry(attempt, { ...options, signal }).then(attempts.thenValue, attempts.thenError);
    },
  };
}

/** The attempts of one item still running: the item settles after the last of them. */
class Attempts {
  #running = 0;
  #drained: (() => void) | undefined = undefined;

  /** Counts an attempt's outcome while it is pending; returns it unchanged. */
  track<V>(outcome: V): V {
    if (outcome !== null && (typeof outcome === 'object' || typeof outcome === 'function')) {
      this.#running++;
      // Promise.resolve settles on a misbehaving thenable exactly as `await` would.
      Promise.resolve(outcome).then(this.#settled, this.#settled);
    }
    return outcome;
  }

  readonly #settled = (): void => {
    if (--this.#running === 0) this.#drained?.();
  };

  #idle(): Promise<void> | undefined {
    if (this.#running === 0) return undefined;
    return new Promise((resolve) => {
      this.#drained = resolve;
    });
  }

  readonly thenValue = (value: unknown): unknown => {
    const idle = this.#idle();
    return idle === undefined ? value : idle.then(() => value);
  };

  readonly thenError = (error: unknown): unknown => {
    const idle = this.#idle();
    if (idle === undefined) throw error;
    return idle.then(() => {
      throw error;
    });
  };
}
