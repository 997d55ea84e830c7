import { noop } from './timers.js';

/** One registration made through {@link onAbort} (a distinct object, so one function may be registered twice). */
interface Registration {
  readonly listener: (reason: unknown) => void;
}

/** The listeners {@link onAbort} holds for one signal, behind its single real 'abort' listener. */
interface Registry {
  readonly entries: Set<Registration>;
  readonly handler: () => void;
}

const registries = new WeakMap<AbortSignal, Registry>();

/**
 * Runs `listener` once when `signal` aborts and returns a function that
 * removes it. With no signal it does nothing. If the signal is already
 * aborted the listener is NOT called: check `signal.aborted` first.
 *
 * However many listeners are registered on one signal, the signal itself
 * carries ONE 'abort' listener, added with the first and removed with the
 * last: a signal shared by thousands of waiting calls never trips Node's
 * MaxListenersExceededWarning, and nothing is left on it once they are done.
 * Listeners run in the order they were added; one removed before its turn is
 * not called; one that throws does not stop the others (its error is
 * re-thrown on a microtask, like an EventTarget listener's).
 *
 * @example
 * ```ts
 * const off = onAbort(signal, (reason) => controller.abort(reason));
 * try { await work(); } finally { off(); } // no listener is left behind
 * ```
 */
export function onAbort(signal: AbortSignal | undefined, listener: (reason: unknown) => void): () => void {
  if (signal === undefined) return noop;
  let registry = registries.get(signal);
  if (registry === undefined) {
    const entries = new Set<Registration>();
    const handler = (): void => {
      registries.delete(signal);
      const reason: unknown = signal.reason;
      for (const entry of [...entries]) {
        if (!entries.delete(entry)) continue; // removed before its turn
        try {
          entry.listener(reason);
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      entries.clear(); // registrations added during the dispatch came too late
    };
    registry = { entries, handler };
    registries.set(signal, registry);
    signal.addEventListener('abort', handler, { once: true });
  }
  const { entries, handler } = registry;
  const entry: Registration = { listener };
  entries.add(entry);
  return () => {
    if (!entries.delete(entry) || entries.size > 0) return;
    if (registries.get(signal)?.entries === entries) registries.delete(signal);
    signal.removeEventListener('abort', handler);
  };
}

/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as `signal`
 * aborts, whichever comes first. The listener is removed when it settles, and
 * a later rejection of an abandoned `promise` is swallowed (never unhandled).
 *
 * @example
 * ```ts
 * const value = await raceSignal(slowThing(), AbortSignal.timeout(100));
 * ```
 */
export function raceSignal<T>(promise: PromiseLike<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return Promise.resolve(promise);
  if (signal.aborted) {
    Promise.resolve(promise).then(noop, noop);
    return Promise.reject(signal.reason as unknown);
  }
  return new Promise<T>((resolve, reject) => {
    const off = onAbort(signal, (reason) => {
      Promise.resolve(promise).then(noop, noop);
      reject(reason);
    });
    Promise.resolve(promise).then(
      (value) => {
        off();
        resolve(value);
      },
      (error: unknown) => {
        off();
        reject(error);
      },
    );
  });
}

/**
 * A controller whose signal follows `parents`: when any of them aborts, it
 * aborts with the same reason. Call `dispose()` when done to remove the
 * listeners from the parents (unlike `AbortSignal.any`, nothing lingers on a
 * long-lived parent until garbage collection).
 *
 * @example
 * ```ts
 * const child = linkedController(parentSignal);
 * try { await work(child.signal); } finally { child.dispose(); }
 * ```
 */
export function linkedController(...parents: (AbortSignal | undefined)[]): AbortController & { dispose(): void } {
  const controller = new AbortController() as AbortController & { dispose(): void };
  const offs: (() => void)[] = [];
  const dispose = (): void => {
    for (const off of offs) off();
    offs.length = 0;
  };
  for (const parent of parents) {
    if (parent === undefined) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    offs.push(
      onAbort(parent, (reason) => {
        dispose();
        controller.abort(reason);
      }),
    );
  }
  if (controller.signal.aborted) dispose();
  controller.dispose = dispose;
  return controller;
}

/**
 * Throws `signal.reason` when `signal` has aborted; does nothing for
 * `undefined` or a live signal. The one "stop here if aborted" check of every
 * lf package (it reads only `aborted` and `reason`).
 *
 * @example
 * ```ts
 * throwIfAborted(options.signal); // before starting the next piece of work
 * ```
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason;
}

/**
 * True for a promise or any other thenable (an object or function with a
 * `then` method): what `await` would wait for.
 *
 * @example
 * ```ts
 * isThenable(Promise.resolve(1)); // true
 * isThenable({ then() {} }); // true
 * isThenable(42); // false
 * ```
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
