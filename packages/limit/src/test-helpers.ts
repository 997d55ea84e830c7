/** Test helpers (not exported from the package). */

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

/** A promise you settle by hand. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending microtask (and the ones they queue) run. */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** Counts how many calls run at once. */
export function gauge(): { enter(): void; leave(): void; readonly now: number; readonly max: number } {
  let now = 0;
  let max = 0;
  return {
    enter() {
      now++;
      if (now > max) max = now;
    },
    leave() {
      now--;
    },
    get now() {
      return now;
    },
    get max() {
      return max;
    },
  };
}
