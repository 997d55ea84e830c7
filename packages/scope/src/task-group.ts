import { CancelScope } from './cancel-scope.js';
import { asyncDisposeSymbol, disposeSymbol } from './dispose.js';
import { CancelledError, isCancellationOrTimeout } from './errors.js';
import { readOptions } from './options.js';
import { checkFunction, checkSignal } from './validate.js';

/**
 * Options of {@link TaskGroup} and {@link taskGroup}.
 *
 * @example
 * ```ts
 * // Every download stops when the parent request does, or after 10 s.
 * const options: TaskGroupOptions = { signal: AbortSignal.any([request.signal, AbortSignal.timeout(10_000)]) };
 * await taskGroup((tg) => {
 *   for (const url of urls) tg.startSoon(download, url, tg.signal);
 * }, options);
 * ```
 *
 * @category Cancellation
 */
export interface TaskGroupOptions {
  /** The parent: its abort cancels the group, which then rejects with the parent's reason. */
  signal?: AbortSignal | undefined;
}

/** The option names of {@link TaskGroup} and {@link taskGroup}. */
const GROUP_OPTIONS = ['signal'] as const;

/** Lets `taskGroup()` track its body like a child (module-private access to `#track`). */
let track: (group: TaskGroup, work: Promise<unknown>) => void;

/**
 * A set of concurrent tasks that live and die together (Trio's nursery,
 * anyio's task group). Start tasks with `startSoon`; they share the group's
 * `signal`. The first failure aborts `signal` so the siblings stop; the group
 * settles only when every task has settled, then throws an `AggregateError`
 * listing every real failure in the order they happened (the cancellation
 * errors the group itself caused are left out).
 *
 * Use it through {@link taskGroup}, or with `await using`: leaving the block
 * waits for the children (the block's own exception cannot cancel them:
 * `Symbol.asyncDispose` does not see it; prefer `taskGroup()` for that).
 *
 * @example
 * ```ts
 * {
 *   await using tg = new TaskGroup({ signal });
 *   for (const url of urls) tg.startSoon(download, url, tg.signal);
 * } // waits for every download; throws AggregateError if one failed
 * ```
 *
 * @category Cancellation
 */
export class TaskGroup {
  /** The scope behind `signal`: `tg.cancelScope.cancel()` cancels every task; it can carry a deadline. */
  readonly cancelScope: CancelScope;

  readonly #parent: AbortSignal | undefined;
  readonly #errors: unknown[] = [];
  #pending = 0;
  #finished = false;
  #onIdle: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  static {
    track = (group, work) => {
      group.#track(work);
    };
  }

  constructor(options?: TaskGroupOptions) {
    const parent = readOptions('TaskGroup', options, GROUP_OPTIONS).signal;
    checkSignal(parent);
    this.#parent = parent;
    this.cancelScope = new CancelScope({ signal: this.#parent });
  }

  /** Aborted when the group cancels (a failure, `cancelScope.cancel()`, its deadline, or the parent). */
  get signal(): AbortSignal {
    return this.cancelScope.signal;
  }

  /**
   * Starts `fn(...args)` on the next microtask, as a child of the group. A
   * child started after the group was cancelled still starts (Trio-like) and
   * sees an aborted `signal` at once. A synchronous throw counts as a failure.
   *
   * @throws TypeError when `fn` is not a function; Error once the group has finished.
   *
   * @example
   * ```ts
   * tg.startSoon(async (id: number, label: string) => save(id, label, tg.signal), 7, 'seven');
   * ```
   */
  startSoon<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    checkFunction(fn, 'fn');
    if (this.#finished) {
      throw new Error('TaskGroup has finished: startSoon() cannot start a task in it any more');
    }
    this.#track(Promise.resolve().then(() => fn(...args)));
  }

  /**
   * Waits for every child (including children started while waiting), then
   * throws an `AggregateError` of the real failures, or the parent's reason
   * when the parent aborted, or returns. Calling it again returns the same
   * promise.
   *
   * @example
   * ```ts
   * const tg = new TaskGroup();
   * tg.startSoon(work);
   * await tg[Symbol.asyncDispose](); // what `await using` does
   * ```
   */
  [asyncDisposeSymbol](): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  #track(work: Promise<unknown>): void {
    this.#pending++;
    work.then(
      () => {
        this.#settled();
      },
      (error: unknown) => {
        this.#fail(error);
        this.#settled();
      },
    );
  }

  #fail(error: unknown): void {
    const signal = this.signal;
    if (signal.aborted && (error === signal.reason || isCancellationOrTimeout(error))) return;
    this.#errors.push(error);
    if (!signal.aborted) {
      this.cancelScope.cancel(new CancelledError('The task group was cancelled because a task failed', { cause: error }));
    }
  }

  #settled(): void {
    if (--this.#pending > 0) return;
    const resolve = this.#onIdle;
    this.#onIdle = undefined;
    resolve?.();
  }

  async #close(): Promise<void> {
    while (this.#pending > 0) {
      await new Promise<void>((resolve) => {
        this.#onIdle = resolve;
      });
    }
    this.#finished = true;
    const parent = this.#parent;
    const parentAborted = parent?.aborted === true && !this.cancelScope.shield;
    this.cancelScope[disposeSymbol]();
    const errors = this.#errors;
    if (errors.length > 0) {
      const count = errors.length === 1 ? '1 task' : `${errors.length} tasks`;
      throw new AggregateError(errors, `${count} failed in the task group`);
    }
    if (parentAborted) throw parent.reason;
  }
}

/**
 * Runs `body(tg)` with a new {@link TaskGroup} and settles when the body and
 * every task it started have settled (anyio's `async with create_task_group()`).
 * Resolves the body's value. The first failure (body or task) aborts
 * `tg.signal`; then it rejects with an `AggregateError` of every real
 * failure. An abort of the parent `signal` cancels the group; it rejects
 * with the parent's reason once everything has settled. If the body itself
 * was stopped by the group's own cancellation (`tg.cancelScope.cancel()` or
 * its deadline) it rejects with that reason, since there is no value.
 *
 * @throws TypeError (synchronously) when `body` is not a function or `signal` is not an AbortSignal.
 *
 * @example
 * ```ts
 * const results: string[] = [];
 * await taskGroup(async (tg) => {
 *   for (const url of urls) tg.startSoon(async () => results.push(await fetchText(url, tg.signal)));
 * }, { signal });
 * ```
 *
 * @category Cancellation
 */
export function taskGroup<T>(body: (tg: TaskGroup) => T | PromiseLike<T>, options?: TaskGroupOptions): Promise<T> {
  checkFunction(body, 'body');
  // Read once here (the snapshot is a plain frozen object: reading it again in the constructor calls no getter).
  const group = new TaskGroup(readOptions('taskGroup', options, GROUP_OPTIONS) as TaskGroupOptions);
  let work: Promise<T>;
  try {
    work = Promise.resolve(body(group));
  } catch (error) {
    work = Promise.reject(error);
  }
  const outcome = work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  track(group, work);
  return group[asyncDisposeSymbol]().then(async () => {
    const settled = await outcome;
    if (settled.ok) return settled.value;
    throw settled.error;
  });
}
