import { TimeoutError, now, sleep } from '@lf/scope';
import { isThenable, linkedController, raceSignal, setTimer, throwIfAborted, yieldToEventLoop } from '@lf/scope/internal';
import { createDelayer } from './backoff.js';
import { isNonRetryable } from './errors.js';
import { isDefaultPlan, toPlan } from './options.js';
import type { RetryContext, RetryPlan } from './options.js';

/**
 * Retry options validated once, ready to run many times: what `retry` and
 * `withRetry` build from their options, and what a caller that retries many
 * items with the same options (alcall) builds once and reuses per item.
 *
 * @example
 * ```ts
 * const plan = prepareRetry('alcall', { numRetries: 2, retryDelay: 10 });
 * const values = await Promise.all(urls.map((url) => plan.run(({ signal }) => fetch(url, { signal }), undefined)));
 * ```
 */
export interface PreparedRetry {
  /**
   * True when running `fn` once through this plan is the same as calling it
   * directly: no retries, no `retryTimeout`, no `retryDefault`, no
   * `retryTiming` (a `shouldRetry`, `onRetry`, `retryAfter`, `maxRetryTime`
   * or backoff setting changes nothing without a retry). A caller may then
   * skip `run` altogether.
   */
  readonly passthrough: boolean;
  /**
   * True when attempt 1 needs nothing from the plan (no `retryTimeout`, no
   * `retryTiming`, no `maxRetryTime`: no timer, no clock): a caller may then
   * make it itself, as a plain call of `fn` with `{ attempt: 1, signal }`,
   * and hand a failure to {@link PreparedRetry.afterFailure}. A first attempt
   * that succeeds then costs what a call without retry costs.
   */
  readonly plainFirstAttempt: boolean;
  /**
   * The loop from the failure (`error`, a rejection or a throw) of an attempt
   * 1 the caller made itself (see `plainFirstAttempt`; with no
   * `beforeAttempt`): the same results and rejections as `run` from there,
   * with `fn` called from attempt 2 on.
   *
   * @example
   * ```ts
   * const plan = prepareRetry('alcall', { numRetries: 3 });
   * const first = call({ attempt: 1, signal });
   * await Promise.resolve(first).catch((error: unknown) => plan.afterFailure(call, signal, error));
   * ```
   */
  afterFailure(fn: (ctx: RetryContext) => unknown, signal: AbortSignal | undefined, error: unknown): Promise<unknown>;
  /**
   * Runs the retry loop: the same results and rejections as `retry()`, with
   * `signal` as the caller's signal. `fn` gets a fresh `{ attempt, signal }`
   * per attempt. `beforeAttempt` (optional) is awaited before EVERY attempt
   * with the attempt number and `signal` (alcall acquires a shared rate limit
   * there); an abort during it rejects with `signal.reason`, and an error it
   * throws rejects the call (not retried). A `retryTimeout` starts after it.
   *
   * @example
   * ```ts
   * const plan = prepareRetry('alcall', { numRetries: 3 });
   * await plan.run(({ attempt }) => call(attempt), signal, () => limiter.acquire({ signal }));
   * ```
   */
  run(
    fn: (ctx: RetryContext) => unknown,
    signal: AbortSignal | undefined,
    beforeAttempt?: (attempt: number, signal: AbortSignal | undefined) => void | PromiseLike<void>,
  ): Promise<unknown>;
}

/**
 * The context of an attempt without a `retryTimeout`: its signal is the
 * caller's, or (with no caller signal) a never-aborting one made only if `fn`
 * reads it: one per attempt, so concurrent retries never pile listeners
 * onto one shared signal, and nothing is allocated when `fn` ignores it.
 */
class PlainAttempt implements RetryContext {
  #signal: AbortSignal | undefined;
  constructor(
    readonly attempt: number,
    parent: AbortSignal | undefined,
  ) {
    this.#signal = parent;
  }
  get signal(): AbortSignal {
    return (this.#signal ??= new AbortController().signal);
  }
}

/**
 * The context of an attempt with a `retryTimeout`: its signal follows the
 * caller's and aborts with a `TimeoutError` when the time is up. The
 * controller is made only if `fn` reads `signal`.
 */
class TimedAttempt implements RetryContext {
  #controller: (AbortController & { dispose(): void }) | undefined;
  #timedOut = false;
  #reason: unknown;
  #disposed = false;
  constructor(
    readonly attempt: number,
    private readonly parent: AbortSignal | undefined,
  ) {}

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      // Read after the attempt settled: a plain signal, linked to nothing that outlives it.
      this.#controller = this.#disposed ? linkedController() : linkedController(this.parent);
      if (this.#timedOut) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get timedOut(): boolean {
    return this.#timedOut;
  }

  get reason(): unknown {
    return this.#reason;
  }

  timeOut(reason: unknown): void {
    this.#timedOut = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  dispose(): void {
    this.#disposed = true;
    this.#controller?.dispose();
  }
}

/** A failed attempt, as the first attempt's fast path hands it to the loop. */
interface Failure {
  readonly error: unknown;
}

/**
 * The loop that `retry` and `withRetry` run (one per prepared plan, shared by
 * every run); {@link PreparedRunner} adds what only alcall asks of a plan, so
 * that `import { retry }` does not carry it.
 */
class RetryRunner implements Pick<PreparedRetry, 'run'> {
  readonly #plan: RetryPlan;

  /** Whether a run reads the clock at its start (for `retryTiming` or the `maxRetryTime` budget). */
  readonly #clocked: boolean;

  constructor(plan: RetryPlan) {
    this.#plan = plan;
    this.#clocked = plan.timing || plan.maxRetryTime !== Infinity;
  }

  run(
    fn: (ctx: RetryContext) => unknown,
    signal: AbortSignal | undefined,
    beforeAttempt?: (attempt: number, signal: AbortSignal | undefined) => void | PromiseLike<void>,
  ): Promise<unknown> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    const plan = this.#plan;
    const start = this.#clocked ? now() : 0;
    if (beforeAttempt !== undefined || plan.timeout !== Infinity) return this.loop(fn, signal, beforeAttempt, start, undefined);
    // The success path of the first attempt: no controller, no async frame.
    // (Without beforeAttempt, the run's start is the first attempt's start.)
    let result: unknown;
    try {
      result = fn(new PlainAttempt(1, signal));
    } catch (error) {
      return this.loop(fn, signal, undefined, start, { error });
    }
    if (!isThenable(result)) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- fn itself may have aborted it: the abort wins over its value
      if (signal?.aborted) return Promise.reject(signal.reason as unknown);
      return Promise.resolve(plan.timing ? [result, now() - start] : result);
    }
    // Promise.resolve adopts a thenable exactly as `await` would (a throwing or twice-calling `then` included).
    return Promise.resolve(result).then(
      // perf: the common case (no signal, no clock) needs one handler, for the failure path only.
      signal === undefined && !this.#clocked
        ? undefined
        : (value) => {
            throwIfAborted(signal);
            return plan.timing ? [value, now() - start] : value;
          },
      (error: unknown) => this.loop(fn, signal, undefined, start, { error }),
    );
  }

  /**
   * The retry loop from attempt 1, or from attempt 1's failure handed over by
   * the fast path (which started attempt 1 at `start`). Internal: `run` and
   * `PreparedRunner.afterFailure` call it.
   */
  async loop(
    fn: (ctx: RetryContext) => unknown,
    signal: AbortSignal | undefined,
    beforeAttempt: ((attempt: number, signal: AbortSignal | undefined) => void | PromiseLike<void>) | undefined,
    start: number,
    first: Failure | undefined,
  ): Promise<unknown> {
    const plan = this.#plan;
    const budget = plan.maxRetryTime;
    /** No attempt starts, and no wait ends, after this time (the `maxRetryTime` budget). */
    let budgetEnd = first === undefined ? Infinity : start + budget;
    let nextDelay: (() => number) | undefined;
    let failure = first;
    let lastError: unknown;
    /** Every attempt failed, or the budget ran out: `retryDefault`, or the last error itself. */
    const giveUp = (error: unknown): unknown => {
      if (!plan.hasDefault) throw error;
      throwIfAborted(signal);
      return plan.timing ? [plan.fallback, now() - start] : plan.fallback;
    };
    try {
      for (let attempt = 1; ; attempt++) {
        if (failure === undefined) {
          throwIfAborted(signal);
          if (attempt > 1 && now() > budgetEnd) return giveUp(lastError);
          if (beforeAttempt !== undefined) {
            const ready = beforeAttempt(attempt, signal);
            if (isThenable(ready)) await ready;
            throwIfAborted(signal);
          }
          if (attempt === 1) {
            if (budget !== Infinity) budgetEnd = now() + budget;
          } else if (now() > budgetEnd) {
            return giveUp(lastError);
          }
          try {
            const value = await this.#attempt(fn, attempt, signal);
            throwIfAborted(signal);
            return plan.timing ? [value, now() - start] : value;
          } catch (error) {
            throwIfAborted(signal); // an abort is never retried
            failure = { error };
          }
        }
        const { error } = failure;
        failure = undefined;
        lastError = error;
        if (isNonRetryable(error)) return giveUp(error);
        const retryLeft = attempt <= plan.retries;
        if (!retryLeft && !plan.hasDefault) throw error;
        if (plan.shouldRetry !== undefined) {
          let verdict: unknown = plan.shouldRetry(error, attempt);
          if (isThenable(verdict)) verdict = await raceSignal(verdict, signal);
          throwIfAborted(signal); // an abort made inside shouldRetry wins
          if (!verdict) throw error;
        }
        if (!retryLeft) return giveUp(error);
        nextDelay ??= createDelayer(plan);
        let delay = nextDelay();
        if (plan.retryAfter !== undefined) {
          const hint: unknown = plan.retryAfter(error, attempt);
          // Not capped by maxDelay; a hint that is not a finite number >= 0 is ignored.
          if (typeof hint === 'number' && hint >= 0 && hint !== Infinity && hint > delay) delay = hint;
        }
        if (now() + delay > budgetEnd) return giveUp(error); // the wait would end after the budget
        if (plan.onRetry !== undefined) {
          const done: unknown = plan.onRetry(error, attempt, delay);
          if (isThenable(done)) await raceSignal(done, signal);
          throwIfAborted(signal);
        }
        // With no delay, yield a macrotask: an endless loop of instant failures
        // would otherwise run on microtasks alone, and no timer (not even
        // AbortSignal.timeout) could ever fire to stop it.
        if (delay > 0) await sleep(delay, { signal });
        else await yieldToEventLoop();
      }
    } catch (error) {
      throwIfAborted(signal); // whatever failed after the abort, the abort wins
      throw error;
    }
  }

  /** Runs one attempt and waits for it to settle (a timed-out attempt fails with its TimeoutError, once settled). */
  async #attempt(fn: (ctx: RetryContext) => unknown, attempt: number, signal: AbortSignal | undefined): Promise<unknown> {
    const timeout = this.#plan.timeout;
    if (timeout === Infinity) return await fn(new PlainAttempt(attempt, signal));
    const ctx = new TimedAttempt(attempt, signal);
    const cancelTimer = setTimer(timeout, () => {
      ctx.timeOut(new TimeoutError(`Attempt ${attempt} timed out after ${timeout} ms (retryTimeout)`));
    });
    try {
      const value: unknown = await fn(ctx);
      if (ctx.timedOut) throw ctx.reason;
      return value;
    } catch (error) {
      throw ctx.timedOut ? ctx.reason : error;
    } finally {
      cancelTimer();
      ctx.dispose();
    }
  }
}

/** {@link PreparedRetry}: the loop, and what alcall reads of a plan to call `fn` itself when it can. */
class PreparedRunner extends RetryRunner implements PreparedRetry {
  readonly passthrough: boolean;
  readonly plainFirstAttempt: boolean;

  constructor(plan: RetryPlan) {
    super(plan);
    // No timer and no clock for attempt 1.
    const plain = plan.timeout === Infinity && !plan.timing;
    this.passthrough = plain && plan.retries === 0 && !plan.hasDefault;
    this.plainFirstAttempt = plain && plan.maxRetryTime === Infinity;
  }

  afterFailure(fn: (ctx: RetryContext) => unknown, signal: AbortSignal | undefined, error: unknown): Promise<unknown> {
    return this.loop(fn, signal, undefined, 0, { error });
  }
}

/** The runners of no options (shared: a runner holds no per-run state). */
let defaultRunner: RetryRunner | undefined;
let defaultPrepared: PreparedRunner | undefined;

/**
 * What `retry` and `withRetry` run: `options` validated once (a snapshot, as
 * {@link prepareRetry} takes it), with `run` only.
 *
 * @example
 * ```ts
 * const value = await retryRunner('retry', { numRetries: 2 }).run(({ signal }) => fetch(url, { signal }), undefined);
 * ```
 */
export function retryRunner(fnName: string, options: Readonly<Record<string, unknown>>): Pick<PreparedRetry, 'run'> {
  const plan = toPlan(fnName, options);
  return isDefaultPlan(plan) ? (defaultRunner ??= new RetryRunner(plan)) : new RetryRunner(plan);
}

/**
 * Validates a snapshot of retry options (as `readOptions` makes it, with the
 * names of `RETRY_OPTION_NAMES`; `signal` excluded) once, and returns the
 * plan that runs them. Throws a TypeError or RangeError naming the option,
 * prefixed with `fnName` (`alcall: numRetries must be >= 0 (got -1)`), the
 * same messages `retry` gives. The snapshot is not read again.
 *
 * @example
 * ```ts
 * const o = readOptions('alcall', options, [...RETRY_OPTION_NAMES, 'maxConcurrent'], ['retryDefault']);
 * const plan = prepareRetry('alcall', o);
 * if (!plan.passthrough) await plan.run((ctx) => fn(item, ctx), signal);
 * ```
 */
export function prepareRetry(fnName: string, options: Readonly<Record<string, unknown>>): PreparedRetry {
  const plan = toPlan(fnName, options);
  return isDefaultPlan(plan) ? (defaultPrepared ??= new PreparedRunner(plan)) : new PreparedRunner(plan);
}
