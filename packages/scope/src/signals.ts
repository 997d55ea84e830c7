/**
 * Runs `listener` once when `signal` aborts and returns a function that
 * removes it. With no signal it does nothing. If the signal is already
 * aborted the listener is NOT called: check `signal.aborted` first.
 *
 * @example
 * ```ts
 * const off = onAbort(signal, (reason) => controller.abort(reason));
 * try { await work(); } finally { off(); } // no listener is left behind
 * ```
 */
export function onAbort(signal: AbortSignal | undefined, listener: (reason: unknown) => void): () => void {
  if (signal === undefined) return noop;
  const handler = (): void => {
    listener(signal.reason);
  };
  signal.addEventListener('abort', handler, { once: true });
  return () => {
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

function noop(): void {
  /* swallow */
}
