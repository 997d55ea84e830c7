import { describe, expect, it, vi } from 'vitest';
import { delay, FAKE_TIMERS, useFakeClock } from '@lf/test-support';
import { alcall } from './alcall.js';

/** Records, per item, when it started and settled, and how many run at once. */
function tracker() {
  let running = 0;
  let peak = 0;
  const starts: number[] = [];
  const settles: number[] = [];
  const log: string[] = [];
  return {
    get running() {
      return running;
    },
    get peak() {
      return peak;
    },
    starts,
    settles,
    log,
    async run<T>(label: string, body: () => Promise<T>): Promise<T> {
      running++;
      peak = Math.max(peak, running);
      starts.push(performance.now());
      log.push(`start ${label}`);
      try {
        return await body();
      } finally {
        running--;
        settles.push(performance.now());
        log.push(`end ${label}`);
      }
    },
  };
}

/** How `promise` settled, when, and how many tracked calls were still running at that moment. */
function watch(promise: Promise<unknown>, t: ReturnType<typeof tracker>) {
  return promise.then(
    (value) => ({ value, error: undefined as unknown, at: performance.now(), running: t.running }),
    (error: unknown) => ({ value: undefined, error, at: performance.now(), running: t.running }),
  );
}

describe('alcall: the seed examples', () => {
  useFakeClock();

  const processItem = async (item: number) => {
    await delay(100);
    return item * 2;
  };

  it('basic usage doubles every item in order', async () => {
    const p = alcall([1, 2, 3, 4, 5], processItem);
    await vi.advanceTimersByTimeAsync(100);
    await expect(p).resolves.toEqual([2, 4, 6, 8, 10]);
  });

  it('with a concurrency limit of 2 gives the same results, in three waves', async () => {
    const p = alcall([1, 2, 3, 4, 5], processItem, { maxConcurrent: 2 });
    let done = false;
    void p.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(299);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(p).resolves.toEqual([2, 4, 6, 8, 10]);
  });

  it('with retries and timing gives [result, elapsedMs] pairs', async () => {
    const p = alcall([1, 2, 3, 4, 5], processItem, {
      numRetries: 3,
      retryDelay: 100,
      backoffFactor: 2,
      retryTiming: true,
    });
    await vi.advanceTimersByTimeAsync(100);
    const results = await p;
    expect(results).toEqual([
      [2, 100],
      [4, 100],
      [6, 100],
      [8, 100],
      [10, 100],
    ]);
  });

  it('with throttling spaces the starts by the period', async () => {
    const t = tracker();
    const p = alcall([1, 2, 3, 4, 5], (x: number) => t.run(String(x), () => processItem(x)), { throttlePeriod: 200 });
    await vi.advanceTimersByTimeAsync(1000);
    await expect(p).resolves.toEqual([2, 4, 6, 8, 10]);
    expect(t.starts.map((s, i) => s - (t.starts[i - 1] ?? s))).toEqual([0, 200, 200, 200, 200]);
  });
});

describe('alcall: guarantees', () => {
  useFakeClock();

  it('keeps input order when later items finish first', async () => {
    const p = alcall([30, 10, 20], async (ms: number) => {
      await delay(ms);
      return ms;
    });
    await vi.advanceTimersByTimeAsync(30);
    await expect(p).resolves.toEqual([30, 10, 20]);
  });

  it('never more than maxConcurrent calls', async () => {
    const t = tracker();
    const p = alcall(
      Array.from({ length: 20 }, (_, i) => i),
      (i: number) => t.run(String(i), () => delay(5 + (i % 3))),
      { maxConcurrent: 3 },
    );
    await vi.advanceTimersByTimeAsync(1000);
    await p;
    expect(t.peak).toBe(3);
  });

  it('hands each call its index, its attempt number and a signal', async () => {
    const seen: [string, number, number, boolean][] = [];
    await alcall(['a', 'b'], (item, ctx) => {
      seen.push([item, ctx.index, ctx.attempt, ctx.signal instanceof AbortSignal]);
      return item;
    });
    expect(seen).toEqual([
      ['a', 0, 1, true],
      ['b', 1, 1, true],
    ]);
  });

  it("gives every call a context of its own: a settled item's signal is left alone when a later item stops the call", async () => {
    const kept: { index: number; attempt: number; signal: AbortSignal }[] = [];
    const failure = new Error('item 3');
    const run = alcall(
      [0, 1, 2, 3],
      async (i, ctx) => {
        kept.push(ctx);
        expect(ctx.signal.aborted).toBe(false); // made while the item runs
        if (i === 3) throw failure;
        return i;
      },
      { maxConcurrent: 1 },
    );
    await expect(run).rejects.toBe(failure);
    expect(new Set(kept).size).toBe(4);
    expect(kept.map((ctx) => [ctx.index, ctx.attempt])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    // Item 3's failure stopped the call after items 0-2 had settled; item 3's own failure does not abort its signal either.
    expect(kept.map((ctx) => ctx.signal.aborted)).toEqual([false, false, false, false]);
  });

  it('initialDelay waits once, before the first call', async () => {
    const t = tracker();
    const p = alcall([1, 2, 3], (x: number) => t.run(String(x), async () => x), { initialDelay: 500 });
    await vi.advanceTimersByTimeAsync(499);
    expect(t.starts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(t.starts).toEqual([500, 500, 500]);
  });

  it('a failure aborts and awaits running siblings, starts nothing new, and rejects with the original error', async () => {
    const t = tracker();
    const boom = new Error('boom');
    const aborted: number[] = [];
    const p = alcall(
      [0, 1, 2, 3, 4, 5],
      (i: number, { signal }) =>
        t.run(String(i), async () => {
          if (i === 1) {
            await delay(10);
            throw boom;
          }
          try {
            await delay(100, signal);
          } catch (error) {
            aborted.push(i);
            await delay(5); // slow clean-up: alcall must wait for it
            throw error;
          }
          return i;
        }),
      { maxConcurrent: 3 },
    );
    const settled = p.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    expect(t.running).toBe(2);
    let done = false;
    void settled.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(4);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled).toBe(boom);
    expect(aborted.sort()).toEqual([0, 2]);
    expect(t.log.filter((l) => l.startsWith('start'))).toEqual(['start 0', 'start 1', 'start 2']);
    expect(t.running).toBe(0);
  });

  it('nothing runs after alcall settles', async () => {
    const t = tracker();
    const p = alcall([1, 2, 3, 4], (i: number, { signal }) =>
      t.run(String(i), async () => {
        if (i === 2) throw new Error('fail');
        await delay(50, signal).catch(() => delay(20));
        return i;
      }),
    );
    const settled = watch(p, t);
    await vi.advanceTimersByTimeAsync(25);
    const outcome = await settled;
    expect(outcome.error).toEqual(new Error('fail'));
    expect(outcome.at).toBe(20); // it waited for the 20 ms clean-ups
    expect(outcome.running).toBe(0);
    expect(t.settles).toHaveLength(4);
    expect(Math.max(...t.settles)).toBeLessThanOrEqual(outcome.at);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with retry options too, a failure waits for running calls that ignore their signal', async () => {
    const t = tracker();
    const boom = new Error('boom');
    const p = alcall(
      [0, 1],
      (i: number) =>
        t.run(String(i), async () => {
          if (i === 0) throw boom;
          await delay(30); // ignores its signal
          return i;
        }),
      { numRetries: 1, retryTimeout: 1000 },
    );
    const settled = watch(p, t);
    await vi.advanceTimersByTimeAsync(30);
    const outcome = await settled;
    expect(outcome.error).toBe(boom);
    expect(outcome.running).toBe(0);
  });

  it('an attempt abandoned by retryTimeout is awaited before the item settles', async () => {
    const t = tracker();
    let calls = 0;
    const p = alcall(
      ['x'],
      () =>
        t.run(String(++calls), async () => {
          if (calls === 1) await delay(80); // ignores the timeout's abort
          return calls;
        }),
      { retryTimeout: 50, numRetries: 1 },
    );
    const settled = watch(p, t);
    await vi.advanceTimersByTimeAsync(80);
    const outcome = await settled;
    expect(outcome.value).toEqual([2]);
    expect(outcome.running).toBe(0);
  });

  it('stopOnError false runs everything, then rejects with every failure in input order', async () => {
    const e1 = new Error('one');
    const e3 = new Error('three');
    const ran: number[] = [];
    const p = alcall(
      [0, 1, 2, 3],
      async (i: number) => {
        await delay(10 * (4 - i));
        ran.push(i);
        if (i === 1) throw e1;
        if (i === 3) throw e3;
        return i;
      },
      { stopOnError: false },
    );
    const settled = p.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(40);
    const error = await settled;
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toEqual([e1, e3]);
    expect(ran.sort()).toEqual([0, 1, 2, 3]);
  });

  it('retryDefault turns a failed item into its default and the call succeeds', async () => {
    const p = alcall([1, 2, 3], (x: number) => (x === 2 ? Promise.reject(new Error('no')) : x), {
      numRetries: 1,
      retryDefault: null,
    });
    await vi.advanceTimersByTimeAsync(0);
    await expect(p).resolves.toEqual([1, null, 3]);
  });

  it('retries each item up to numRetries + 1 attempts with the backoff delays', async () => {
    const attempts: [number, number, number][] = [];
    const p = alcall(
      ['x'],
      (_item, { attempt }) => {
        attempts.push([attempt, performance.now(), 0]);
        if (attempt < 3) throw new Error(`attempt ${attempt}`);
        return 'ok';
      },
      { numRetries: 3, retryDelay: 100, backoffFactor: 2 },
    );
    await vi.advanceTimersByTimeAsync(300);
    await expect(p).resolves.toEqual(['ok']);
    expect(attempts.map(([a, at]) => [a, at])).toEqual([
      [1, 0],
      [2, 100],
      [3, 300],
    ]);
  });

  it('retryTimeout fails a slow attempt and retries it', async () => {
    let calls = 0;
    const p = alcall(
      ['x'],
      async (_item, { signal }) => {
        calls++;
        if (calls === 1) await delay(1000, signal);
        return 'fast';
      },
      { retryTimeout: 50, numRetries: 1 },
    );
    await vi.advanceTimersByTimeAsync(50);
    await expect(p).resolves.toEqual(['fast']);
    expect(calls).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('signal abort rejects with its reason after running calls settle, and starts nothing after it', async () => {
    const controller = new AbortController();
    const t = tracker();
    const p = alcall(
      [1, 2, 3, 4],
      (i: number, { signal }) =>
        t.run(String(i), async () => {
          await delay(100, signal).catch(async (error: unknown) => {
            await delay(10);
            throw error;
          });
          return i;
        }),
      { maxConcurrent: 2, signal: controller.signal },
    );
    const settled = p.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(50);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(9);
    expect(t.running).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled).toBe(reason);
    expect(t.starts.length).toBe(2);
    expect(t.running).toBe(0);
  });

  it('a throttled item whose slot is granted just as the run aborts does not start', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    try {
      const controller = new AbortController();
      const reason = new Error('aborted as the slot came');
      const started: number[] = [];
      const run = alcall(
        [1, 2],
        (x: number) => {
          started.push(x);
          // Lands in the same timer turn as item 2's throttle release, before its continuation runs.
          if (x === 1) setTimeout(() => controller.abort(reason), 10);
          return x;
        },
        { throttlePeriod: 10, signal: controller.signal },
      );
      const outcome = run.then(
        () => 'resolved',
        (error: unknown) => error,
      );
      await vi.advanceTimersByTimeAsync(0);
      vi.advanceTimersByTime(10); // both timers fire back to back, no microtask between them
      await vi.advanceTimersByTimeAsync(0);
      expect(await outcome).toBe(reason);
      expect(started).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an already-aborted signal rejects with its reason and calls nothing', async () => {
    const fn = vi.fn();
    const reason = new Error('early');
    await expect(alcall([1, 2], fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('onProgress reports each settled item with the known total', async () => {
    const progress: unknown[] = [];
    await alcall([1, 2, 3], (x: number) => (x === 2 ? Promise.reject(new Error('x')) : x), {
      stopOnError: false,
      onProgress: (p: object) => progress.push({ ...p }),
    }).catch(() => undefined);
    expect(progress).toEqual([
      { completed: 1, failed: 0, total: 3 },
      { completed: 1, failed: 1, total: 3 },
      { completed: 2, failed: 1, total: 3 },
    ]);
  });
});

describe('alcall: input', () => {
  it('a string is one item', async () => {
    await expect(alcall('abc', (s) => s.length)).resolves.toEqual([3]);
  });

  it('a non-iterable value is one item', async () => {
    await expect(alcall(7, (x) => x + 1)).resolves.toEqual([8]);
    await expect(alcall({ a: 1 }, (o) => o.a)).resolves.toEqual([1]);
  });

  it('reads a sync iterable lazily: never more than maxConcurrent items ahead of the running calls', async () => {
    let pulled = 0;
    let finished = 0;
    let maxAhead = 0;
    function* items() {
      for (let i = 0; i < 50; i++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - finished);
        yield i;
      }
    }
    const results = await alcall(
      items(),
      async (i: number) => {
        await Promise.resolve();
        finished++;
        return i;
      },
      { maxConcurrent: 4 },
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(maxAhead).toBeLessThanOrEqual(4);
  });

  it('reads an async iterable lazily', async () => {
    let pulled = 0;
    let finished = 0;
    let maxAhead = 0;
    async function* items() {
      for (let i = 0; i < 30; i++) {
        await Promise.resolve();
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - finished);
        yield i;
      }
    }
    const results = await alcall(
      items(),
      async (i: number) => {
        await new Promise((r) => setTimeout(r, 1));
        finished++;
        return i * 10;
      },
      { maxConcurrent: 3 },
    );
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => i * 10));
    expect(maxAhead).toBeLessThanOrEqual(3);
  });

  it('sanitizeInput flattens, drops nulls and, with uniqueInput, removes duplicates', async () => {
    const seen: unknown[] = [];
    await alcall([[1, null], [2, [1, undefined]], 3], (x) => seen.push(x), { sanitizeInput: true, uniqueInput: true });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('post-processes the output with flatten, dropna and uniqueOutput', async () => {
    const results = await alcall([1, 2, 3], (x: number) => (x === 2 ? null : [x, x]), {
      flatten: true,
      dropna: true,
      uniqueOutput: true,
    });
    expect(results).toEqual([1, 3]);
  });

  it('with retryTiming applies only dropna to the pairs', async () => {
    const results = await alcall([1, 2], (x: number) => (x === 1 ? null : [x]), { retryTiming: true, dropna: true, flatten: true });
    expect(results).toHaveLength(1);
    expect(results[0]?.[0]).toEqual([2]);
    expect(typeof results[0]?.[1]).toBe('number');
  });
});

describe('alcall: bad input is refused before any call runs', () => {
  it.each([
    [{ maxConcurrent: 0 }, RangeError, /maxConcurrent/],
    [{ maxConcurrent: 1.5 }, RangeError, /maxConcurrent/],
    [{ throttlePeriod: -1 }, RangeError, /throttlePeriod/],
    [{ initialDelay: Number.NaN }, RangeError, /initialDelay/],
    [{ numRetries: -1 }, RangeError, /numRetries/],
    [{ uniqueOutput: true }, RangeError, /uniqueOutput/],
    [{ uniqueInput: true }, RangeError, /uniqueInput/],
    [{ flatten: 'yes' }, TypeError, /flatten/],
    [{ stopOnError: 1 }, TypeError, /stopOnError/],
    [{ onProgress: 5 }, TypeError, /onProgress/],
    [{ signal: {} }, TypeError, /signal/],
  ])('%o is a %s naming the option', async (opts, type, name) => {
    const fn = vi.fn();
    const attempt = async () => alcall([1, 2], fn, opts as never);
    await expect(attempt()).rejects.toThrow(type);
    await expect(attempt()).rejects.toThrow(name);
    expect(fn).not.toHaveBeenCalled();
  });

  it('a missing function is a TypeError naming fn', async () => {
    await expect(alcall([1], undefined as never)).rejects.toThrow(/fn/);
  });
});

/** An async iterable whose next() answers only when told to (or never). */
function stalledSource(first: unknown[] = []) {
  let closed = 0;
  const items = [...first];
  const iterable: AsyncIterable<unknown> = {
    [Symbol.asyncIterator]: () => ({
      next: () =>
        items.length > 0 ? Promise.resolve({ done: false, value: items.shift() }) : new Promise<IteratorResult<unknown>>(() => undefined),
      return: () => {
        closed++;
        return Promise.resolve({ done: true, value: undefined });
      },
    }),
  };
  return {
    iterable,
    get closed() {
      return closed;
    },
  };
}

describe('alcall: prompt abort while reading the input', () => {
  it('aborting while sanitizeInput waits on a next() that never answers rejects at once with the reason', async () => {
    const source = stalledSource([1, 2]);
    const controller = new AbortController();
    const reason = new Error('stop reading');
    const fn = vi.fn();
    const run = alcall(source.iterable, fn, { sanitizeInput: true, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 5);
    await expect(run).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('alcall: misbehaving thenables settle as await would', () => {
  const throwingThen = (error: Error) => ({
    then() {
      throw error;
    },
  });
  const twice = (value: number): PromiseLike<number> =>
    ({
      then(resolve: (v: number) => void, reject: (e: unknown) => void) {
        resolve(value);
        resolve(value + 1);
        reject(new Error('late'));
      },
    }) as unknown as PromiseLike<number>;

  it.each([
    ['no retry options', {}],
    ['numRetries: 1', { numRetries: 1 }],
    ['retryTimeout', { retryTimeout: 1000 }],
    ['retryDefault', { retryDefault: 'd' }],
  ])(
    'with %s, a thenable whose then throws fails the attempt (never a hang), one that calls back twice keeps its first answer',
    async (_label, options) => {
      const boom = new Error('then threw');
      const expected = await (async () => {
        try {
          return await (throwingThen(boom) as unknown as Promise<unknown>);
        } catch (error) {
          return error;
        }
      })();
      expect(expected).toBe(boom);
      const first = alcall([1], () => throwingThen(boom), options).then(
        (v) => v,
        (e: unknown) => e,
      );
      const settled = await first;
      if ('retryDefault' in options) expect(settled).toEqual(['d']);
      else expect(settled).toBe(boom);
      await expect(alcall([1, 2], (x: number) => twice(x * 10), options)).resolves.toEqual([10, 20]);
    },
  );
});

describe('alcall: a failing input stops the waits', () => {
  it('an input that throws ends the backoff waits of running items at once', async () => {
    const broken = new Error('input broke');
    function* source() {
      yield 1;
      throw broken;
    }
    const started = performance.now();
    const run = alcall(
      source(),
      () => {
        throw new Error('retry me later');
      },
      { numRetries: 3, retryDelay: 10_000 },
    );
    await expect(run).rejects.toBe(broken);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('alcall: a failing item stops the waits', () => {
  it('an item that fails for good on the retry path ends the backoff waits of the other items at once', async () => {
    const fatal = new Error('fatal');
    const calls = [0, 0];
    const started = performance.now();
    const run = alcall(
      [0, 1],
      (i: number) => {
        calls[i] = (calls[i] ?? 0) + 1;
        throw i === 0 ? fatal : new Error('retry me later');
      },
      { numRetries: 3, retryDelay: 10_000, shouldRetry: (error) => error !== fatal },
    );
    await expect(run).rejects.toBe(fatal);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(calls).toEqual([1, 1]); // item 1 was not retried after the stop
  });
});

describe('alcall: an abort wins over a value', () => {
  it.each([
    ['a plain first attempt', {}],
    ['a retryTimeout', { retryTimeout: 60_000 }],
  ])('on the retry path (%s), a value that comes after the abort counts as a failure', async (_name, extra) => {
    const controller = new AbortController();
    const progress: object[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const run = alcall(
      ['x'],
      async () => {
        started();
        await gate;
        return 'late';
      },
      { numRetries: 3, signal: controller.signal, onProgress: (p: object) => progress.push({ ...p }), ...extra },
    );
    await running;
    const reason = new Error('stop');
    controller.abort(reason);
    release();
    await expect(run).rejects.toBe(reason);
    expect(progress).toEqual([{ completed: 0, failed: 1, total: 1 }]);
  });
});
