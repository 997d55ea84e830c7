/**
 * One representative scenario of the lf packages, run unchanged on Node, Bun,
 * Deno (tests/runtimes/run.mjs) and in Chromium (the playground's e2e page).
 *
 * Plain ESM that imports ONLY '@lf/async-utils' (the built umbrella) and uses
 * web-standard APIs only (AbortController, setTimeout, performance, Promise).
 * `run()` resolves a JSON-serialisable summary and throws on any wrong result.
 */
import { CancelScope, CancelledError, Throttle, TimeoutError, alcall, failAfter, sleep, taskGroup } from '@lf/async-utils';

/** Throws an Error naming what was wrong. */
function check(ok, what) {
  if (!ok) throw new Error(`scenario check failed: ${what}`);
}

function sameArray(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A sleep that does not come from lf: the scenario checks lf, not itself. */
function delay(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** alcall with maxConcurrent, numRetries and a retryTimeout that fires. */
async function alcallRetries() {
  let running = 0;
  let peak = 0;
  const attempts = new Map();
  const timeouts = [];
  const results = await alcall(
    [1, 2, 3, 4, 5, 6],
    async (item, { attempt, signal }) => {
      attempts.set(item, attempt);
      running++;
      peak = Math.max(peak, running);
      try {
        if (item === 3 && attempt === 1) {
          // Hangs until retryTimeout aborts the attempt's signal.
          await delay(10_000, signal).catch((error) => {
            timeouts.push(error?.name);
            throw error;
          });
        }
        await delay(10, signal);
        if (item === 5 && attempt === 1) throw new Error('item 5 fails once');
        return item * 2;
      } finally {
        running--;
      }
    },
    { maxConcurrent: 2, numRetries: 2, retryDelay: 5, retryTimeout: 60 },
  );
  check(sameArray(results, [2, 4, 6, 8, 10, 12]), `alcall results ${JSON.stringify(results)}`);
  check(peak <= 2, `maxConcurrent 2 was exceeded: ${peak}`);
  check(attempts.get(3) === 2 && attempts.get(5) === 2 && attempts.get(1) === 1, 'retried exactly the failed items');
  check(sameArray(timeouts, ['TimeoutError']), `the hanging attempt was cut by a TimeoutError: ${timeouts}`);
  return { results, peak, attempts: Object.fromEntries(attempts), timeouts };
}

/** alcall aborted by an AbortController: rejects with the reason, stops running calls, starts nothing new. */
async function alcallAbort() {
  const controller = new AbortController();
  const reason = new Error('stopped by the caller');
  let started = 0;
  let aborted = 0;
  let running = 0;
  const promise = alcall(
    [1, 2, 3, 4, 5, 6],
    async (_item, { signal }) => {
      started++;
      running++;
      try {
        await delay(5_000, signal);
      } catch (error) {
        aborted++;
        throw error;
      } finally {
        running--;
      }
    },
    { maxConcurrent: 2, signal: controller.signal },
  );
  const t0 = performance.now();
  setTimeout(() => controller.abort(reason), 30);
  let error;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  const elapsed = performance.now() - t0;
  check(error === reason, `rejects with signal.reason, got ${String(error)}`);
  check(
    started === 2 && aborted === 2 && running === 0,
    `running calls aborted and settled (started ${started}, aborted ${aborted}, running ${running})`,
  );
  check(elapsed < 2_000, `settles promptly after the abort (${Math.round(elapsed)} ms)`);
  await delay(20);
  check(started === 2, 'nothing starts after the abort');
  return { rejectedWith: error.message, started, aborted };
}

/** A task group whose child fails: the siblings are cancelled, the group rejects with an AggregateError. */
async function taskGroupFailure() {
  const sibling = { cancelled: 0, completed: 0 };
  const t0 = performance.now();
  let error;
  try {
    await taskGroup((tg) => {
      for (const ms of [2_000, 3_000]) {
        tg.startSoon(async () => {
          try {
            await delay(ms, tg.signal);
            sibling.completed++;
          } catch (reason) {
            sibling.cancelled++;
            throw reason;
          }
        });
      }
      tg.startSoon(async () => {
        await delay(20);
        throw new Error('child failed');
      });
    });
  } catch (caught) {
    error = caught;
  }
  const elapsed = performance.now() - t0;
  check(error instanceof AggregateError, `rejects with an AggregateError, got ${String(error)}`);
  check(error.errors.length === 1 && error.errors[0].message === 'child failed', 'lists only the real failure');
  check(sibling.cancelled === 2 && sibling.completed === 0, 'both siblings were cancelled');
  check(elapsed < 1_500, `did not wait for the siblings' full duration (${Math.round(elapsed)} ms)`);
  return { errors: error.errors.map((e) => e.message), siblingsCancelled: sibling.cancelled };
}

/** A Throttle spaces the starts of calls made at once. */
async function throttleSpacing() {
  const period = 30;
  const throttle = new Throttle(period);
  const starts = await Promise.all([1, 2, 3, 4].map(() => throttle.call(() => performance.now())));
  const gaps = starts.slice(1).map((start, i) => start - starts[i]);
  // Generous lower bound: timers may fire a hair early against performance.now().
  check(
    gaps.every((gap) => gap >= period - 5),
    `starts spaced by >= ${period} ms: ${gaps.map(Math.round)}`,
  );
  return { period, gaps: gaps.map((gap) => Math.round(gap)) };
}

/** A CancelScope timeout cuts its body: run() resolves undefined; failAfter rejects with a TimeoutError. */
async function cancelScopeTimeout() {
  const t0 = performance.now();
  const scope = new CancelScope({ timeout: 40 });
  let reason;
  const result = await scope.run(async (s) => {
    try {
      await sleep(5_000, { signal: s.signal });
    } catch (error) {
      reason = error;
      throw error;
    }
    return 'not cut';
  });
  const elapsed = performance.now() - t0;
  check(result === undefined && scope.cancelledCaught, 'run() resolves undefined and cancelledCaught is true');
  check(reason instanceof TimeoutError, `the body saw a TimeoutError, got ${String(reason)}`);
  check(elapsed < 1_500, `the timeout fired promptly (${Math.round(elapsed)} ms)`);

  let failAfterError;
  try {
    await failAfter(20, (s) => sleep(5_000, { signal: s.signal }));
  } catch (error) {
    failAfterError = error;
  }
  check(failAfterError instanceof TimeoutError, `failAfter rejects with a TimeoutError, got ${String(failAfterError)}`);

  const manual = new CancelScope();
  manual.cancel();
  check(manual.signal.reason instanceof CancelledError, 'cancel() aborts with a CancelledError');
  return { result: result ?? null, cancelledCaught: scope.cancelledCaught, failAfter: failAfterError.name };
}

/**
 * Runs the whole scenario, one part after the other.
 *
 * @returns {Promise<Record<string, unknown>>} a JSON-serialisable summary
 */
export async function run() {
  const t0 = performance.now();
  return {
    alcallRetries: await alcallRetries(),
    alcallAbort: await alcallAbort(),
    taskGroup: await taskGroupFailure(),
    throttle: await throttleSpacing(),
    cancelScope: await cancelScopeTimeout(),
    elapsedMs: Math.round(performance.now() - t0),
  };
}
