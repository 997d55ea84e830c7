import { CancelledError } from '@lf/scope';
import { describe, expect, it, vi } from 'vitest';
import { mapConcurrent, type MapContext } from './map-concurrent.js';
import { flush, gauge, watch } from '@lf/test-support';

/** A call that only ends when its signal aborts, and then only when the test lets it. */
function waitForAbort(signal: AbortSignal, gates: (() => void)[], done: number[], i: number): Promise<never> {
  return new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => {
      gates.push(() => {
        done.push(i);
        reject(signal.reason as Error);
      });
    });
  });
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('mapConcurrent', () => {
  it('keeps input order', async () => {
    const delays = [5, 1, 4, 2, 3, 0, 6];
    const out = await mapConcurrent(
      delays,
      async (d, i) => {
        await flush(d);
        return `${i}:${d}`;
      },
      { concurrency: 3 },
    );
    expect(out).toEqual(delays.map((d, i) => `${i}:${d}`));
  });

  it('never more than concurrency running', async () => {
    for (const source of [range(40), new Set(range(40)), toAsync(range(40))]) {
      const g = gauge();
      await mapConcurrent(
        source,
        async (x) => {
          g.enter();
          await flush(10 + (x % 5));
          g.leave();
        },
        { concurrency: 4 },
      );
      expect(g.max).toBe(4);
    }
  });

  it('resolves [] for empty input', async () => {
    expect(await mapConcurrent([], vi.fn())).toEqual([]);
    expect(await mapConcurrent(new Set(), vi.fn(), { concurrency: 2 })).toEqual([]);
    expect(await mapConcurrent(toAsync([]), vi.fn(), { concurrency: 2 })).toEqual([]);
  });

  it('reads an iterable lazily: never more than concurrency items ahead', async () => {
    for (const make of [syncNumbers, asyncNumbers]) {
      let finished = 0;
      let maxAhead = 0;
      const counter = { pulled: 0 };
      const out = await mapConcurrent(
        make(50, counter, () => {
          maxAhead = Math.max(maxAhead, counter.pulled - finished);
        }),
        async (x) => {
          await flush(x % 3);
          finished++;
          return x * 2;
        },
        { concurrency: 3 },
      );
      expect(out).toEqual(range(50).map((x) => x * 2));
      expect(maxAhead).toBeLessThanOrEqual(3);
    }
  });

  it('never calls next() of an async iterator while another next() is pending', async () => {
    let pending = 0;
    let overlap = false;
    let i = 0;
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        async next() {
          if (pending > 0) overlap = true;
          pending++;
          await flush(2);
          pending--;
          return i < 20 ? { value: i++, done: false } : { value: undefined, done: true };
        },
      }),
    };
    expect(await mapConcurrent(source, (x) => x, { concurrency: 5 })).toEqual(range(20));
    expect(overlap).toBe(false);
  });

  it('a failure aborts running siblings, waits for them, starts nothing new, rejects with the original error', async () => {
    for (const source of [range(10), new Set(range(10)), toAsync(range(10))]) {
      const boom = new Error('boom');
      const started: number[] = [];
      const gates: (() => void)[] = [];
      const done: number[] = [];
      const reasons: unknown[] = [];
      const run = mapConcurrent(
        source,
        async (x, i, { signal }) => {
          started.push(i);
          if (i === 1) {
            await flush(2);
            throw boom;
          }
          signal.addEventListener('abort', () => reasons.push(signal.reason));
          return waitForAbort(signal, gates, done, i);
        },
        { concurrency: 3 },
      );
      const state = watch(run);
      await flush(30);
      expect(started).toEqual([0, 1, 2]);
      expect(gates).toHaveLength(2); // both siblings saw the abort
      expect(state.settled).toBe(false); // ...and the run waits for them
      gates[0]!();
      await flush();
      expect(state.settled).toBe(false);
      gates[1]!();
      await expect(run).rejects.toBe(boom);
      expect(done.sort()).toEqual([0, 2]);
      expect(started).toEqual([0, 1, 2]);
      expect(reasons[0]).toBeInstanceOf(CancelledError);
      expect((reasons[0] as Error).cause).toBe(boom);
    }
  });

  it('a sync throw of fn is a failure like a rejection', async () => {
    const boom = new Error('sync');
    const fn = vi.fn((x: number) => {
      if (x === 2) throw boom;
      return x;
    });
    await expect(mapConcurrent(range(10), fn, { concurrency: 2 })).rejects.toBe(boom);
    await expect(mapConcurrent(range(10), fn)).rejects.toBe(boom); // everything-at-once path
    await expect(mapConcurrent(new Set(range(10)), fn, { concurrency: 2 })).rejects.toBe(boom);
  });

  it('stopOnError false runs everything then rejects with every failure in input order', async () => {
    for (const source of [range(8), new Set(range(8)), toAsync(range(8))]) {
      const errors = range(8).map((i) => new Error(`e${i}`));
      const started: number[] = [];
      const signals: boolean[] = [];
      const run = mapConcurrent(
        source,
        async (x, i, { signal }) => {
          started.push(i);
          await flush(10 - x); // later items settle first
          signals.push(signal.aborted);
          if (x === 1 || x === 4 || x === 6) throw errors[x];
          return x;
        },
        { concurrency: 3, stopOnError: false },
      );
      const error = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AggregateError);
      expect((error as AggregateError).errors).toEqual([errors[1], errors[4], errors[6]]);
      expect(started.sort()).toEqual(range(8));
      expect(signals.every((aborted) => !aborted)).toBe(true);
    }
    expect(await mapConcurrent(range(4), (x) => x, { stopOnError: false })).toEqual(range(4));
  });

  it('abort stops starting new items and rejects with the reason after running ones settle', async () => {
    for (const source of [range(10), new Set(range(10)), toAsync(range(10))]) {
      const controller = new AbortController();
      const started: number[] = [];
      const gates: (() => void)[] = [];
      const done: number[] = [];
      const run = mapConcurrent(
        source,
        (x, i, { signal }) => {
          started.push(i);
          return waitForAbort(signal, gates, done, i);
        },
        { concurrency: 2, signal: controller.signal },
      );
      const state = watch(run);
      await flush();
      const reason = new Error('user stop');
      controller.abort(reason);
      await flush();
      expect(gates).toHaveLength(2);
      expect(state.settled).toBe(false);
      for (const gate of gates) gate();
      await expect(run).rejects.toBe(reason);
      expect(started).toEqual([0, 1]);
    }
  });

  it('an already aborted signal rejects without calling fn', async () => {
    const fn = vi.fn();
    const reason = new Error('before');
    await expect(mapConcurrent(range(3), fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('closes the iterator on early exit', async () => {
    // sync iterator, first failure
    const sync = observed(range(10));
    await expect(
      mapConcurrent(
        sync.iterable,
        async (x) => {
          await flush(1);
          if (x === 2) throw new Error('fail');
        },
        { concurrency: 2 },
      ),
    ).rejects.toThrow('fail');
    expect(sync.returns).toBe(1);

    // async generator, abort: its finally block runs before the run settles
    let closed = false;
    async function* gen(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    const controller = new AbortController();
    const run = mapConcurrent(
      gen(),
      async (x) => {
        if (x === 3) controller.abort(new Error('enough'));
        await flush(1);
      },
      { concurrency: 2, signal: controller.signal },
    );
    await expect(run).rejects.toThrow('enough');
    expect(closed).toBe(true);

    // a normal end does not call return()
    const whole = observed(range(5));
    expect(await mapConcurrent(whole.iterable, (x) => x, { concurrency: 2 })).toEqual(range(5));
    expect(whole.returns).toBe(0);
  });

  it('an iterator that throws counts as a failure', async () => {
    const broken = new Error('iterator broke');
    function* faulty(): Generator<number> {
      yield 0;
      yield 1;
      throw broken;
    }
    const finished: number[] = [];
    const fn = async (x: number): Promise<number> => {
      await flush(2);
      finished.push(x);
      return x;
    };
    await expect(mapConcurrent(faulty(), fn, { concurrency: 4 })).rejects.toBe(broken);
    expect(finished.sort()).toEqual([0, 1]); // the running ones settled first

    const itemError = new Error('item');
    const error = await mapConcurrent(
      faulty(),
      (x) => {
        if (x === 1) throw itemError;
        return x;
      },
      { concurrency: 4, stopOnError: false },
    ).catch((e: unknown) => e);
    expect((error as AggregateError).errors).toEqual([itemError, broken]);

    async function* asyncFaulty(): AsyncGenerator<number> {
      yield 0;
      await flush(1);
      throw broken;
    }
    await expect(mapConcurrent(asyncFaulty(), fn, { concurrency: 2 })).rejects.toBe(broken);

    const unopenable = {
      [Symbol.iterator]() {
        throw broken;
      },
    } as unknown as Iterable<number>;
    await expect(mapConcurrent(unopenable, fn)).rejects.toBe(broken);
  });

  it('an iterator breaking the protocol (next() not returning an object) is a failure, not a hang', async () => {
    const bad = { [Symbol.iterator]: () => ({ next: () => 42 }) } as unknown as Iterable<number>;
    await expect(mapConcurrent(bad, (x) => x, { concurrency: 2 })).rejects.toBeInstanceOf(TypeError);
    const badAsync = { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(null) }) } as unknown as AsyncIterable<number>;
    await expect(mapConcurrent(badAsync, (x) => x, { concurrency: 2 })).rejects.toBeInstanceOf(TypeError);
  });

  it('does not wait for an async source whose pending next() never answers once aborted', async () => {
    const returned = vi.fn(() => Promise.resolve({ value: undefined, done: true as const }));
    const stuck: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<number>>(() => {}),
        return: returned,
      }),
    };
    const controller = new AbortController();
    const run = mapConcurrent(stuck, (x) => x, { concurrency: 2, signal: controller.signal });
    await flush();
    controller.abort(new Error('give up'));
    await expect(run).rejects.toThrow('give up');
    expect(returned).toHaveBeenCalledTimes(1);
  });

  it('concurrency Infinity starts everything at once, and a failure still waits for every call', async () => {
    const boom = new Error('boom');
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const done: number[] = [];
    const run = mapConcurrent(range(5), async (x, i, { signal }) => {
      started.push(i);
      if (x === 4) {
        await flush(1);
        throw boom;
      }
      return waitForAbort(signal, gates, done, i);
    });
    expect(started).toEqual(range(5)); // synchronously
    const state = watch(run);
    await flush();
    expect(gates).toHaveLength(4);
    expect(state.settled).toBe(false);
    for (const gate of gates) gate();
    await expect(run).rejects.toBe(boom);
    expect(done.sort()).toEqual([0, 1, 2, 3]);
  });

  it('onSettled reports every item as it settles', async () => {
    const calls: [number, unknown, boolean][] = [];
    const bad = new Error('bad');
    await mapConcurrent(
      range(4),
      (x) => {
        if (x === 2) throw bad;
        return x;
      },
      { concurrency: 2, stopOnError: false, onSettled: (i, e, failed) => calls.push([i, e, failed]) },
    ).catch(() => undefined);
    expect(calls.sort((a, b) => a[0] - b[0])).toEqual([
      [0, undefined, false],
      [1, undefined, false],
      [2, bad, true],
      [3, undefined, false],
    ]);
    const oops = new Error('hook broke');
    await expect(
      mapConcurrent(range(4), (x) => x, {
        onSettled: () => {
          throw oops;
        },
      }),
    ).rejects.toBe(oops);
  });

  it('hands every call its own lazily created signal that stays quiet on success', async () => {
    const contexts = new Set<MapContext>();
    const signals = new Set<AbortSignal>();
    await mapConcurrent(
      range(6),
      (x, i, ctx) => {
        contexts.add(ctx);
        signals.add(ctx.signal);
        expect(ctx.signal).toBe([...signals].at(-1)); // the same signal on every read within one call
      },
      { concurrency: 2 },
    );
    expect(contexts.size).toBe(6);
    expect(signals.size).toBe(6);
    expect([...signals].some((signal) => signal.aborted)).toBe(false);
  });

  it('a call that reads its signal only after the run stopped gets an aborted one', async () => {
    const boom = new Error('boom');
    let late: AbortSignal | undefined;
    const run = mapConcurrent(range(2), async (x, i, ctx) => {
      if (x === 0) throw boom;
      await Promise.resolve();
      await Promise.resolve();
      late = ctx.signal;
    });
    await expect(run).rejects.toBe(boom);
    expect(late?.aborted).toBe(true);
    expect((late?.reason as Error).cause).toBe(boom);
  });

  it('passes items as they are (a promise item is not awaited)', async () => {
    const item = Promise.resolve(1);
    const [seen] = await mapConcurrent([item], (x) => [x]);
    expect(seen![0]).toBe(item);
  });

  it('rejects bad arguments synchronously, naming them', () => {
    expect(() => mapConcurrent(5 as unknown as number[], (x) => x)).toThrow(/items/);
    expect(() => mapConcurrent(null as unknown as number[], (x) => x)).toThrow(TypeError);
    expect(() => mapConcurrent([1], 'fn' as unknown as () => void)).toThrow(/fn/);
    expect(() => mapConcurrent([1], (x) => x, { concurrency: 0 })).toThrow(RangeError);
    expect(() => mapConcurrent([1], (x) => x, { concurrency: 1.5 })).toThrow(/concurrency/);
    expect(() => mapConcurrent([1], (x) => x, { stopOnError: 'no' as unknown as boolean })).toThrow(/stopOnError/);
    expect(() => mapConcurrent([1], (x) => x, { onSettled: 1 as unknown as () => void })).toThrow(/onSettled/);
    expect(() => mapConcurrent([1], (x) => x, { signal: {} as AbortSignal })).toThrow(/signal/);
  });
});

describe('mapConcurrent: an item’s signal aborts only while that item runs', () => {
  /** Items 0 and 1 settle early (0 synchronously), 2 fails later, 3 runs until aborted. */
  function scenario(fail: boolean, controller?: AbortController) {
    const signals: AbortSignal[] = [];
    const boom = new Error('boom');
    const fn = async (x: number, _i: number, ctx: MapContext): Promise<number> => {
      if (x === 1) await flush(1); // reads its signal only after an await
      signals[x] = ctx.signal;
      if (x === 2) {
        await flush(5);
        if (fail) throw boom;
        controller?.abort(new Error('outer'));
        return x;
      }
      if (x === 3) {
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      }
      return x;
    };
    const syncFirst = (x: number, i: number, ctx: MapContext): number | Promise<number> => {
      if (x === 0) {
        signals[0] = ctx.signal;
        return 0; // settles synchronously
      }
      return fn(x, i, ctx);
    };
    return { signals, boom, fn: syncFirst };
  }

  const sources = (): [string, () => Iterable<number> | AsyncIterable<number>, number | undefined][] => [
    ['all at once (array, concurrency >= length)', () => range(4), undefined],
    ['array workers', () => range(4), 4],
    ['sync iterator', () => new Set(range(4)), 4],
    ['async iterator', () => toAsync(range(4)), 4],
  ];

  for (const [name, source, concurrency] of sources()) {
    it(`${name}: a failure leaves the signals of settled items and of the failing item itself untouched`, async () => {
      const { signals, boom, fn } = scenario(true);
      await expect(mapConcurrent(source(), fn, { concurrency })).rejects.toBe(boom);
      expect(signals.map((signal) => signal.aborted)).toEqual([false, false, false, true]);
      expect((signals[3]!.reason as Error).cause).toBe(boom);
    });

    it(`${name}: an outer abort leaves the signals of settled items untouched`, async () => {
      const controller = new AbortController();
      const { signals, fn } = scenario(false, controller);
      await expect(mapConcurrent(source(), fn, { concurrency, signal: controller.signal })).rejects.toThrow('outer');
      // item 2 aborts the outer signal while it runs, so its own signal aborts too
      expect(signals.map((signal) => signal.aborted)).toEqual([false, false, true, true]);
    });
  }

  it('all at once: an item that reads its signal and throws synchronously does not abort its own signal', async () => {
    const boom = new Error('sync');
    const signals: AbortSignal[] = [];
    const run = mapConcurrent(range(3), (x, _i, ctx) => {
      signals[x] = ctx.signal;
      if (x === 1) throw boom;
      return x === 0 ? 0 : new Promise<number>((resolve) => ctx.signal.addEventListener('abort', () => resolve(x)));
    });
    await expect(run).rejects.toBe(boom);
    // item 2 never started: the run stopped at the synchronous failure
    expect(signals).toHaveLength(2);
    expect(signals.map((signal) => signal.aborted)).toEqual([false, false]);
  });
});

describe('mapConcurrent options', () => {
  it('an unknown option name is a TypeError naming it, with a suggestion, before any call', () => {
    const fn = vi.fn();
    expect(() => mapConcurrent([1], fn, { concurency: 2 } as unknown as { concurrency: number })).toThrow(
      new TypeError("mapConcurrent: unknown option 'concurency' (did you mean 'concurrency'?)"),
    );
    expect(() => mapConcurrent([1], fn, { stopOnErrors: false } as unknown as { stopOnError: boolean })).toThrow(
      /did you mean 'stopOnError'/,
    );
    expect(fn).not.toHaveBeenCalled();
  });

  it('options are read once: inherited and getter options count, later changes do not', async () => {
    let reads = 0;
    class Options {
      get concurrency(): number {
        reads++;
        return 1;
      }
    }
    const options = new Options() as { concurrency: number; stopOnError?: boolean };
    const g = gauge();
    const run = mapConcurrent(
      range(6),
      async (x) => {
        g.enter();
        await flush(2);
        g.leave();
        if (x === 0) options.stopOnError = false; // too late: the snapshot is what runs
        if (x === 1) throw new Error('first');
        return x;
      },
      options,
    );
    await expect(run).rejects.toThrow('first'); // stopOnError stayed true
    expect(g.max).toBe(1);
    expect(reads).toBe(1);
  });
});

describe('mapConcurrent and misbehaving thenables', () => {
  const boom = new Error('then threw');
  const twice = (x: number): PromiseLike<number> =>
    ({ then: (ok: (v: number) => void, fail: (e: unknown) => void) => (ok(x), ok(-1), fail(boom)) }) as PromiseLike<number>;
  const throwing = (): PromiseLike<number> => ({
    then: () => {
      throw boom;
    },
  });
  const sources: [string, () => Iterable<number> | AsyncIterable<number>, number | undefined][] = [
    ['all at once', () => range(3), undefined],
    ['array workers', () => range(3), 2],
    ['sync iterator', () => new Set(range(3)), 2],
    ['async iterator', () => toAsync(range(3)), 2],
  ];
  for (const [name, source, concurrency] of sources) {
    it(`${name}: a thenable that calls back twice gives its first value; one whose then throws is a failure (as await)`, async () => {
      expect(await mapConcurrent(source(), twice, { concurrency })).toEqual([0, 1, 2]);
      await expect(mapConcurrent(source(), (x) => (x === 1 ? throwing() : x), { concurrency })).rejects.toBe(boom);
      const error = await mapConcurrent(source(), (x) => (x === 1 ? throwing() : twice(x)), { concurrency, stopOnError: false }).catch(
        (e: unknown) => e,
      );
      expect((error as AggregateError).errors).toEqual([boom]);
    });
  }
});

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

function* syncNumbers(n: number, counter: { pulled: number }, onPull: () => void): Generator<number> {
  for (let i = 0; i < n; i++) {
    counter.pulled++;
    onPull();
    yield i;
  }
}

async function* asyncNumbers(n: number, counter: { pulled: number }, onPull: () => void): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    await Promise.resolve();
    counter.pulled++;
    onPull();
    yield i;
  }
}

/** An iterable that counts calls of its iterator's return(). */
function observed<T>(items: T[]): { iterable: Iterable<T>; readonly returns: number } {
  const state = { returns: 0 };
  const iterable: Iterable<T> = {
    [Symbol.iterator]() {
      let i = 0;
      return {
        next: () => (i < items.length ? { value: items[i++]!, done: false } : { value: undefined, done: true }),
        return: () => {
          state.returns++;
          return { value: undefined, done: true };
        },
      };
    },
  };
  return {
    iterable,
    get returns() {
      return state.returns;
    },
  };
}
