import { CancelledError } from '@lf/scope';

/**
 * An async generator that can be left while a step is in flight: `return()`
 * or `throw()` first aborts `leave` (the signal handed to `make`), so the
 * work behind a pending `next()` stops, then closes the inner generator
 * (queued behind that step, so nothing it started is still running when the
 * leave settles). The pending `next()` then resolves `{ done: true }` instead
 * of rejecting with the leave's own reason.
 *
 * @example
 * ```ts
 * const gen = new Leavable((leave) => batches(input, leave));
 * ```
 */
export class Leavable<T> implements AsyncGenerator<T, void, undefined> {
  readonly #leave = new AbortController();
  readonly #inner: AsyncGenerator<T, void, undefined>;

  constructor(make: (leave: AbortSignal) => AsyncGenerator<T, void, undefined>) {
    this.#inner = make(this.#leave.signal);
  }

  next(): Promise<IteratorResult<T, void>> {
    return this.#inner.next().then(undefined, this.#onRejected);
  }

  readonly #onRejected = (error: unknown): IteratorResult<T, void> => {
    const leave = this.#leave.signal;
    if (leave.aborted && error === leave.reason) return { done: true, value: undefined };
    throw error;
  };

  return(value?: void | PromiseLike<void>): Promise<IteratorResult<T, void>> {
    this.#abort();
    return this.#inner.return(value);
  }

  throw(error: unknown): Promise<IteratorResult<T, void>> {
    this.#abort();
    return this.#inner.throw(error);
  }

  #abort(): void {
    if (!this.#leave.signal.aborted) this.#leave.abort(new CancelledError('the consumer left the loop'));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}
