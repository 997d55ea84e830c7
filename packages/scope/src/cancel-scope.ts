import { disposeSymbol } from './dispose.js';
import { CancelledError, TimeoutError, isCancellationOrTimeout } from './errors.js';
import { onAbort } from './signals.js';
import { now, setTimer } from './timers.js';
import { readOptions } from './options.js';
import { checkBoolean, checkFunction, checkNumber, checkSignal } from './validate.js';

/**
 * Options of {@link CancelScope}.
 *
 * @example
 * ```ts
 * // A helper that lets its caller choose the deadline and the parent.
 * function fetchText(url: string, options: CancelScopeOptions): Promise<string | undefined> {
 *   return new CancelScope(options).run(({ signal }) => fetch(url, { signal }).then((r) => r.text()));
 * }
 * await fetchText(url, { timeout: 5000, signal: request.signal });
 * ```
 *
 * @category Cancellation
 */
export interface CancelScopeOptions {
  /**
   * Milliseconds from now until the scope cancels itself with a
   * `TimeoutError` (Python's relative `deadline=`). `>= 0`; `Infinity` = never.
   */
  timeout?: number | undefined;
  /**
   * Absolute time, on the `performance.now()` clock (`now()`), at which the
   * scope cancels itself with a `TimeoutError`. With `timeout` too, the
   * earlier of the two wins. Default: `Infinity` (none).
   */
  deadline?: number | undefined;
  /** When true, an abort of the parent `signal` does not cancel this scope. Default false. */
  shield?: boolean | undefined;
  /** The parent: its abort cancels this scope (unless shielded). */
  signal?: AbortSignal | undefined;
}

/** The option names of {@link CancelScope} (read once, unknown names are a TypeError). */
const SCOPE_OPTIONS = ['timeout', 'deadline', 'shield', 'signal'] as const;

/**
 * A region of code that can be cancelled as a unit: by `cancel()`, by a
 * deadline, or by its parent `signal`. The scope owns an `AbortSignal`
 * (`scope.signal`): hand it to everything the body awaits. JavaScript cannot
 * interrupt a running function, so cancellation only reaches code that
 * listens to `signal`; `run()` always waits for the body to settle.
 *
 * `run(fn)` swallows the scope's OWN cancellation (its `cancel()` or its
 * deadline) and resolves `undefined`; a parent's cancellation and every other
 * error propagate. A scope runs at most once. A scope you never `run` holds
 * a timer and a listener on its parent until it aborts or is disposed
 * (`using scope = new CancelScope(...)`).
 *
 * @example
 * ```ts
 * const scope = new CancelScope({ timeout: 5000, signal: parent });
 * const page = await scope.run(({ signal }) => fetch(url, { signal }).then((r) => r.text()));
 * if (scope.cancelledCaught) console.log('gave up after 5 s'); // page is undefined
 * ```
 *
 * @category Cancellation
 */
export class CancelScope {
  /** This scope's signal: aborts when the scope is cancelled (own cancel, deadline, or parent). */
  readonly signal: AbortSignal;

  readonly #controller: AbortController;
  readonly #parent: AbortSignal | undefined;
  #deadline: number;
  #shield: boolean;
  #cancelCalled = false;
  #cancelledCaught = false;
  /** True when the abort came from this scope itself (cancel() or deadline), not its parent. */
  #abortedBySelf = false;
  /** run() was called. */
  #entered = false;
  /** Disposed, or run() settled: no timer, no parent listener, ever again. */
  #closed = false;
  #clearTimer: (() => void) | undefined;
  #offParent: (() => void) | undefined;

  constructor(options?: CancelScopeOptions) {
    const o = readOptions('CancelScope', options, SCOPE_OPTIONS);
    const timeout = o.timeout === undefined ? Infinity : checkNumber(o.timeout, 'timeout', { min: 0, allowInfinity: true });
    const deadline = o.deadline === undefined ? Infinity : checkNumber(o.deadline, 'deadline', { allowInfinity: true });
    const shield = o.shield ?? false;
    const parent = o.signal;
    checkBoolean(shield, 'shield');
    checkSignal(parent);

    this.#controller = new AbortController();
    this.signal = this.#controller.signal;
    this.#parent = parent;
    this.#shield = shield;
    this.#deadline = Math.min(now() + timeout, deadline);

    if (parent !== undefined) {
      if (parent.aborted) {
        if (!shield) {
          this.#abort(parent.reason, false);
          return;
        }
      } else {
        this.#offParent = onAbort(parent, (reason) => {
          if (!this.#shield) this.#abort(reason, false);
        });
      }
    }
    this.#arm();
  }

  /** True once `cancel()` was called or the deadline expired (a parent's abort does not set it). */
  get cancelCalled(): boolean {
    return this.#cancelCalled;
  }

  /** True once `run()` swallowed this scope's own cancellation and resolved `undefined`. */
  get cancelledCaught(): boolean {
    return this.#cancelledCaught;
  }

  /**
   * The absolute deadline on the `now()` clock (`Infinity` = none). Setting it
   * re-arms the timer, or cancels at once when the new time has already passed.
   *
   * @example
   * ```ts
   * scope.deadline = now() + 1000; // one more second
   * scope.deadline = Infinity;     // no deadline any more
   * ```
   */
  get deadline(): number {
    return this.#deadline;
  }

  set deadline(value: number) {
    checkNumber(value, 'deadline', { allowInfinity: true });
    this.#deadline = value;
    if (this.signal.aborted || this.#closed) return;
    this.#clearTimer?.();
    this.#clearTimer = undefined;
    this.#arm();
  }

  /**
   * Whether the parent's abort is kept out. Unshielding while the parent is
   * already aborted cancels the scope at once (with the parent's reason).
   */
  get shield(): boolean {
    return this.#shield;
  }

  set shield(value: boolean) {
    if ((value as unknown) === undefined) throw new TypeError('shield must be a boolean (got undefined)');
    checkBoolean(value, 'shield');
    this.#shield = value;
    const parent = this.#parent;
    if (!value && parent?.aborted === true && !this.signal.aborted && !this.#closed) {
      this.#abort(parent.reason, false);
    }
  }

  /**
   * Cancels the scope: aborts `signal` with `reason` (default: a new
   * `CancelledError`). Calling it again, or after the scope was cancelled
   * otherwise, changes nothing but `cancelCalled`.
   *
   * @example
   * ```ts
   * const scope = new CancelScope();
   * setTimeout(() => scope.cancel(), 100);
   * await scope.run(({ signal }) => sleep(1000, { signal })); // resolves undefined after ~100 ms
   * ```
   */
  cancel(reason?: unknown): void {
    this.#cancelCalled = true;
    this.#abort(reason === undefined ? new CancelledError('The cancel scope was cancelled') : reason, true);
  }

  /**
   * Runs `fn(scope)` and settles when it settles (the scope waits for a body
   * that ignores cancellation). Resolves the body's value; resolves
   * `undefined` (and sets `cancelledCaught`) only when the body failed because
   * of this scope's own cancellation: the error is this scope's own abort
   * reason, or is a cancellation or timeout error (`isCancellation`, or named
   * `TimeoutError`) while this scope cancelled
   * itself and the parent is not aborted. Every other error, including the
   * parent's cancellation, propagates unchanged. A scope cancelled before
   * `run` still calls `fn`, with an already-aborted `signal`. When `run`
   * settles the timer and the parent listener are gone.
   *
   * @throws TypeError when `fn` is not a function; Error when the scope was
   * already run or disposed.
   *
   * @example
   * ```ts
   * const value = await new CancelScope({ timeout: 100 }).run(async ({ signal }) => {
   *   await sleep(1000, { signal });
   *   return 'done';
   * }); // undefined: the deadline cancelled the body and the scope caught it
   * ```
   */
  run<T>(fn: (scope: CancelScope) => T | PromiseLike<T>): Promise<T | undefined> {
    checkFunction(fn, 'fn');
    if (this.#entered) throw new Error('CancelScope.run() was already called: a scope runs once, create a new one');
    if (this.#closed) throw new Error('CancelScope.run() called after the scope was disposed');
    this.#entered = true;
    return this.#runBody(fn);
  }

  /**
   * Clears the deadline timer and removes the listener on the parent signal.
   * `run()` does this itself when it settles; call it (or use `using`) for a
   * scope you only take the `signal` of.
   *
   * @example
   * ```ts
   * using scope = new CancelScope({ timeout: 1000, signal: parent });
   * await fetch(url, { signal: scope.signal });
   * ```
   */
  [disposeSymbol](): void {
    this.#close();
  }

  async #runBody<T>(fn: (scope: CancelScope) => T | PromiseLike<T>): Promise<T | undefined> {
    try {
      return await fn(this);
    } catch (error) {
      if (this.#isOwnCancellation(error)) {
        this.#cancelledCaught = true;
        return undefined;
      }
      throw error;
    } finally {
      this.#close();
    }
  }

  #isOwnCancellation(error: unknown): boolean {
    if (!this.signal.aborted || !this.#abortedBySelf) return false;
    if (error === this.signal.reason) return true;
    return this.#parent?.aborted !== true && isCancellationOrTimeout(error);
  }

  #arm(): void {
    const deadline = this.#deadline;
    if (deadline === Infinity) return;
    const left = deadline - now();
    if (left <= 0) {
      this.#expire();
      return;
    }
    this.#clearTimer = setTimer(left, () => {
      this.#clearTimer = undefined;
      // A timer may fire a fraction of a millisecond early: wait for the clock.
      if (now() < this.#deadline) this.#arm();
      else this.#expire();
    });
  }

  #expire(): void {
    this.#cancelCalled = true;
    this.#abort(new TimeoutError('The cancel scope deadline expired'), true);
  }

  #abort(reason: unknown, bySelf: boolean): void {
    if (this.signal.aborted) return;
    this.#abortedBySelf = bySelf;
    this.#release();
    this.#controller.abort(reason);
  }

  #close(): void {
    this.#closed = true;
    this.#release();
  }

  #release(): void {
    this.#clearTimer?.();
    this.#clearTimer = undefined;
    this.#offParent?.();
    this.#offParent = undefined;
  }
}
