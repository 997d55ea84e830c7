import { CancelledError } from '@lf/scope';
import { describe, expect, it, vi } from 'vitest';
import { Limiter, createLimiter } from './limiter.js';
import { deferred, flush, gauge, type Deferred } from '@lf/test-support';

/** Queues `count` calls whose completion the test controls. */
function hold(limiter: Limiter, count: number): { gates: Deferred<number>[]; started: number[]; results: Promise<number>[] } {
  const gates = Array.from({ length: count }, () => deferred<number>());
  const started: number[] = [];
  const results = gates.map((gate, i) =>
    limiter.run(() => {
      started.push(i);
      return gate.promise;
    }),
  );
  return { gates, started, results };
}

describe('Limiter', () => {
  it('never more than limit running', async () => {
    const limiter = new Limiter(3);
    const g = gauge();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        limiter.run(async (x: number) => {
          g.enter();
          for (let k = 0; k < (i % 4) + 1; k++) await Promise.resolve();
          g.leave();
          return x * 2;
        }, i),
      ),
    );
    expect(g.max).toBe(3);
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => i * 2));
    expect(limiter.activeCount).toBe(0);
    expect(limiter.pendingCount).toBe(0);
  });

  it('starts a call synchronously when a slot is free, and queues the rest in FIFO order', async () => {
    const limiter = new Limiter(2);
    const { gates, started } = hold(limiter, 5);
    expect(started).toEqual([0, 1]);
    expect(limiter.activeCount).toBe(2);
    expect(limiter.pendingCount).toBe(3);
    gates[1]!.resolve(1);
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve(0);
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('raising the limit hands free slots to queued work at once; each starts on the next microtask', async () => {
    const limiter = new Limiter(1);
    const { started } = hold(limiter, 5);
    expect(started).toEqual([0]);
    limiter.limit = 3;
    // the slots are granted synchronously, without waiting for anything...
    expect(limiter.activeCount).toBe(3);
    expect(limiter.pendingCount).toBe(2);
    // ...and the calls start in their own continuation (never on the setter's stack)
    expect(started).toEqual([0]);
    await flush();
    expect(started).toEqual([0, 1, 2]);
    limiter.limit = Infinity;
    expect(limiter.pendingCount).toBe(0);
    await flush();
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('a call granted a slot that the limit takes back before it starts waits again, first in line', async () => {
    const limiter = new Limiter(1);
    const { gates, started, results } = hold(limiter, 3);
    const acquiring = limiter.acquire();
    const controller = new AbortController();
    const scheduled = limiter.schedule(() => 'never', { signal: controller.signal });
    limiter.limit = 6; // grants calls 1 and 2, the acquire and the schedule...
    limiter.limit = 1; // ...none of which has started yet
    controller.abort(new Error('aborted while granted'));
    await flush();
    expect(started).toEqual([0]);
    await expect(scheduled).rejects.toThrow('aborted while granted');
    expect(limiter.activeCount).toBe(1);
    expect(limiter.pendingCount).toBe(3);
    gates[0]!.resolve(0);
    await flush();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve(1);
    gates[2]!.resolve(2);
    await flush();
    const release = await acquiring;
    expect(started).toEqual([0, 1, 2]);
    expect(await Promise.all(results)).toEqual([0, 1, 2]);
    release();
    await limiter.onIdle();
  });

  it('lowering the limit lets running work finish and starts nothing new until below it', async () => {
    const limiter = new Limiter(3);
    const { gates, started, results } = hold(limiter, 6);
    expect(started).toEqual([0, 1, 2]);
    limiter.limit = 1;
    expect(limiter.activeCount).toBe(3);
    gates[0]!.resolve(0);
    await flush();
    expect(await results[0]).toBe(0);
    expect(started).toEqual([0, 1, 2]);
    expect(limiter.activeCount).toBe(2);
    gates[1]!.resolve(1);
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates[2]!.resolve(2);
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(limiter.activeCount).toBe(1);
  });

  it('a sync function becomes async', async () => {
    const limiter = new Limiter(1);
    const result = limiter.run((a: number, b: number) => a + b, 2, 3);
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(5);
  });

  it('a sync throw rejects the run and frees the slot', async () => {
    const limiter = new Limiter(1);
    const boom = new Error('boom');
    const failed = limiter.run(() => {
      throw boom;
    });
    expect(limiter.activeCount).toBe(0);
    await expect(failed).rejects.toBe(boom);
    expect(await limiter.run(() => 'next')).toBe('next');
  });

  it('a sync throw of a queued call rejects it and the queue moves on', async () => {
    const limiter = new Limiter(1);
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    const boom = new Error('boom');
    const second = limiter.run(() => {
      throw boom;
    });
    const third = limiter.run(() => 3);
    gate.resolve();
    await first;
    await expect(second).rejects.toBe(boom);
    expect(await third).toBe(3);
  });

  it('a rejection frees the slot and reaches the caller unchanged', async () => {
    const limiter = new Limiter(1);
    const boom = new Error('boom');
    await expect(limiter.run(() => Promise.reject(boom))).rejects.toBe(boom);
    expect(limiter.activeCount).toBe(0);
  });

  it('an aborted queued call never runs', async () => {
    const limiter = new Limiter(1);
    const gate = deferred();
    void limiter.run(() => gate.promise);
    const controller = new AbortController();
    const fn = vi.fn(() => 'ran');
    const queued = limiter.schedule(fn, { signal: controller.signal });
    expect(limiter.pendingCount).toBe(1);
    const reason = new Error('stop');
    controller.abort(reason);
    expect(limiter.pendingCount).toBe(0);
    await expect(queued).rejects.toBe(reason);
    gate.resolve();
    await limiter.onIdle();
    expect(fn).not.toHaveBeenCalled();
  });

  it('schedule with an already aborted signal rejects and never runs', async () => {
    const limiter = new Limiter(1);
    const fn = vi.fn();
    const reason = new Error('already');
    await expect(limiter.schedule(fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
    expect(limiter.activeCount).toBe(0);
  });

  it('schedule hands the signal to the started call', async () => {
    const limiter = new Limiter(1);
    const controller = new AbortController();
    const seen = await limiter.schedule(({ signal }) => signal, { signal: controller.signal });
    expect(seen).toBe(controller.signal);
    expect(await limiter.schedule(({ signal }) => signal)).toBeUndefined();
  });

  it('an aborted queued acquire leaves the queue at once and never occupies a slot', async () => {
    const limiter = new Limiter(1);
    const release = await limiter.acquire();
    expect(limiter.activeCount).toBe(1);
    const controller = new AbortController();
    const waiting = limiter.acquire({ signal: controller.signal });
    const after = limiter.acquire();
    expect(limiter.pendingCount).toBe(2);
    controller.abort(new Error('gone'));
    expect(limiter.pendingCount).toBe(1);
    await expect(waiting).rejects.toThrow('gone');
    release();
    const releaseAfter = await after;
    expect(limiter.activeCount).toBe(1);
    releaseAfter();
    expect(limiter.activeCount).toBe(0);
  });

  it('a release function is idempotent', async () => {
    const limiter = new Limiter(2);
    const release = await limiter.acquire();
    const other = await limiter.acquire();
    release();
    release();
    expect(limiter.activeCount).toBe(1);
    other();
    expect(limiter.activeCount).toBe(0);
  });

  it('clearQueue rejects every queued call', async () => {
    const limiter = new Limiter(1);
    const { gates, started, results } = hold(limiter, 4);
    const acquiring = limiter.acquire();
    const controller = new AbortController();
    const scheduled = limiter.schedule(() => 1, { signal: controller.signal });
    limiter.clearQueue();
    expect(limiter.pendingCount).toBe(0);
    for (const queued of [...results.slice(1), acquiring, scheduled]) {
      await expect(queued).rejects.toBeInstanceOf(CancelledError);
    }
    gates[0]!.resolve(7);
    expect(await results[0]).toBe(7);
    expect(started).toEqual([0]);

    const again = hold(limiter, 2);
    const reason = new Error('shutting down');
    limiter.clearQueue(reason);
    await expect(again.results[1]).rejects.toBe(reason);
    again.gates[0]!.resolve(0);
    await limiter.onIdle();
  });

  it('onIdle resolves when all work is done', async () => {
    const limiter = new Limiter(2);
    await limiter.onIdle(); // idle now: resolves at once
    const { gates } = hold(limiter, 4);
    let idle = false;
    const waiting = limiter.onIdle().then(() => {
      idle = true;
    });
    for (let i = 0; i < 3; i++) {
      gates[i]!.resolve(i);
      await flush();
      expect(idle).toBe(false);
    }
    gates[3]!.resolve(3);
    await waiting;
    expect(idle).toBe(true);
    expect(limiter.activeCount + limiter.pendingCount).toBe(0);
  });

  it('onIdle rejects with the reason when its signal aborts first', async () => {
    const limiter = new Limiter(1);
    const gate = deferred();
    void limiter.run(() => gate.promise);
    const controller = new AbortController();
    const waiting = limiter.onIdle({ signal: controller.signal });
    controller.abort(new Error('no wait'));
    await expect(waiting).rejects.toThrow('no wait');
    gate.resolve();
    await limiter.onIdle();
  });

  it('Infinity never queues', () => {
    const limiter = createLimiter(Infinity);
    const { started } = hold(limiter, 100);
    expect(started).toHaveLength(100);
    expect(limiter.pendingCount).toBe(0);
  });

  it('rejects a bad limit synchronously, naming it', () => {
    expect(() => new Limiter(0)).toThrow(RangeError);
    expect(() => new Limiter(1.5)).toThrow(/limit/);
    expect(() => new Limiter(Number.NaN)).toThrow(RangeError);
    expect(() => new Limiter('2' as unknown as number)).toThrow(TypeError);
    const limiter = new Limiter(2);
    expect(() => {
      limiter.limit = 0;
    }).toThrow(RangeError);
    expect(limiter.limit).toBe(2);
  });

  it('rejects a non-function synchronously', () => {
    const limiter = new Limiter(2);
    expect(() => limiter.run(42 as unknown as () => void)).toThrow(TypeError);
    expect(() => limiter.schedule(null as unknown as () => void)).toThrow(/fn/);
    expect(() => limiter.acquire({ signal: {} as AbortSignal })).toThrow(/signal/);
  });

  it('rejects a bad signal synchronously, naming it', () => {
    const limiter = new Limiter(1);
    expect(() => limiter.schedule(() => 1, { signal: 'x' as unknown as AbortSignal })).toThrow(/signal/);
    expect(() => limiter.onIdle({ signal: 1 as unknown as AbortSignal })).toThrow(/signal/);
  });
});

describe('Limiter options', () => {
  it('an unknown option name is a TypeError naming it, with a suggestion, before anything is queued', () => {
    const limiter = new Limiter(1);
    const fn = vi.fn();
    const typo = { signall: new AbortController().signal } as unknown as { signal: AbortSignal };
    expect(() => limiter.schedule(fn, typo)).toThrow(new TypeError("Limiter.schedule: unknown option 'signall' (did you mean 'signal'?)"));
    expect(() => limiter.acquire(typo)).toThrow(/Limiter\.acquire: unknown option 'signall'/);
    expect(() => limiter.onIdle(typo)).toThrow(/Limiter\.onIdle: unknown option 'signall'/);
    expect(() => limiter.schedule(fn, 5 as unknown as { signal: AbortSignal })).toThrow(TypeError);
    expect(fn).not.toHaveBeenCalled();
    expect(limiter.activeCount + limiter.pendingCount).toBe(0);
  });

  it('options are read once when the call starts: inherited and getter options count, later changes do not', async () => {
    const limiter = new Limiter(1);
    const hold = await limiter.acquire();
    const controller = new AbortController();
    let reads = 0;
    class Options {
      get signal(): AbortSignal {
        reads++;
        return controller.signal;
      }
    }
    const queued = limiter.schedule(() => 'ran', new Options());
    expect(reads).toBe(1);
    const mutable: { signal?: AbortSignal } = {};
    const other = limiter.schedule(() => 'other', mutable);
    mutable.signal = AbortSignal.abort(); // too late: the snapshot had no signal
    controller.abort(new Error('inherited signal honoured'));
    await expect(queued).rejects.toThrow('inherited signal honoured');
    expect(reads).toBe(1);
    hold();
    expect(await other).toBe('other');
  });
});

describe('Limiter and misbehaving thenables', () => {
  const boom = new Error('then threw');
  /** Thenables that break the protocol, with what `await` makes of each. */
  const cases: { name: string; make: () => PromiseLike<number>; settles: (p: Promise<unknown>) => Promise<void> }[] = [
    {
      name: 'then calls back twice',
      make: () => ({ then: (ok: (v: number) => void, fail: (e: unknown) => void) => (ok(1), ok(2), fail(boom)) }) as PromiseLike<number>,
      settles: async (p) => expect(await p).toBe(1),
    },
    {
      name: 'then throws',
      make: () => ({
        then: () => {
          throw boom;
        },
      }),
      settles: (p) => expect(p).rejects.toBe(boom),
    },
    {
      name: 'then calls back, then throws',
      make: () =>
        ({
          then: (ok: (v: number) => void) => {
            ok(1);
            throw boom;
          },
        }) as unknown as PromiseLike<number>,
      settles: async (p) => expect(await p).toBe(1),
    },
  ];

  for (const c of cases) {
    it(`a call returning a thenable whose ${c.name} settles as await would, started at once or queued, and frees its slot`, async () => {
      // reference: what await makes of it
      await c.settles((async () => await c.make())());
      const limiter = new Limiter(1);
      await c.settles(limiter.run(c.make));
      const gate = deferred();
      const first = limiter.run(() => gate.promise);
      const queued = limiter.run(c.make);
      const scheduled = limiter.schedule(c.make, { signal: new AbortController().signal });
      gate.resolve();
      await first;
      await c.settles(queued);
      await c.settles(scheduled);
      await limiter.onIdle();
      expect(limiter.activeCount).toBe(0);
    });
  }
});

describe('Limiter priority', () => {
  it('higher starts first, FIFO among equal priorities, default 0', async () => {
    const limiter = new Limiter(1);
    const hold = await limiter.acquire();
    const order: string[] = [];
    const add = (name: string, priority?: number): Promise<void> =>
      limiter.schedule(() => void order.push(name), priority === undefined ? undefined : { priority });
    const all = [add('a'), add('b', 1), add('c', -1), add('d', 0), add('e', 1), add('f', 2.5), add('g')];
    hold();
    await Promise.all(all);
    expect(order).toEqual(['f', 'b', 'e', 'a', 'd', 'g', 'c']);
  });

  it('a call that finds a free slot starts at once, whatever its priority', () => {
    const limiter = new Limiter(2);
    const started: number[] = [];
    void limiter.schedule(() => started.push(1), { priority: -10 });
    expect(started).toEqual([1]);
  });

  it('acquire and schedule share one priority order', async () => {
    const limiter = new Limiter(1);
    const hold = await limiter.acquire();
    const order: string[] = [];
    const low = limiter.schedule(() => void order.push('low'), { priority: -1 });
    const high = limiter.acquire({ priority: 5 }).then((release) => {
      order.push('acquire');
      release();
    });
    const mid = limiter.schedule(() => void order.push('mid'));
    hold();
    await Promise.all([low, high, mid]);
    expect(order).toEqual(['acquire', 'mid', 'low']);
  });

  it('an aborted waiter of any priority leaves the queue at once; the others keep their order', async () => {
    const limiter = new Limiter(1);
    const hold = await limiter.acquire();
    const order: number[] = [];
    const controllers = [0, 1, 2, 3].map(() => new AbortController());
    const runs = [3, 1, 3, 2].map((priority, i) =>
      limiter.schedule(() => void order.push(i), { priority, signal: controllers[i]!.signal }).catch(() => 'aborted'),
    );
    controllers[2]!.abort();
    controllers[1]!.abort();
    expect(limiter.pendingCount).toBe(2);
    hold();
    expect(await Promise.all(runs)).toEqual([undefined, 'aborted', 'aborted', undefined]);
    expect(order).toEqual([0, 3]);
  });

  it('clearQueue rejects waiters of every priority', async () => {
    const limiter = new Limiter(1);
    const hold = await limiter.acquire();
    const runs = [0, 4, -4].map((priority) => limiter.schedule(() => 'ran', { priority }));
    limiter.clearQueue();
    for (const run of runs) await expect(run).rejects.toBeInstanceOf(CancelledError);
    hold();
  });

  it('priority must be a finite number: a TypeError or RangeError naming it, before anything is queued', () => {
    const limiter = new Limiter(1);
    for (const bad of ['1', null, {}]) {
      expect(() => limiter.schedule(() => 1, { priority: bad as unknown as number })).toThrow(TypeError);
      expect(() => limiter.acquire({ priority: bad as unknown as number })).toThrow(/priority/);
    }
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      expect(() => limiter.schedule(() => 1, { priority: bad })).toThrow(RangeError);
      expect(() => limiter.acquire({ priority: bad })).toThrow(/priority/);
    }
    expect(() => limiter.schedule(() => 1, { prority: 1 } as unknown as { priority: number })).toThrow(/did you mean 'priority'/);
    expect(limiter.activeCount + limiter.pendingCount).toBe(0);
  });
});

describe('Limiter pause and resume', () => {
  it('paused: nothing new starts, even with free slots; running work goes on; resume starts queued work up to the limit', async () => {
    const limiter = new Limiter(2);
    const gate = deferred();
    const started: number[] = [];
    const running = limiter.run(async () => {
      started.push(0);
      await gate.promise;
      return 'finished while paused';
    });
    limiter.pause();
    expect(limiter.isPaused).toBe(true);
    const queued = [1, 2, 3].map((i) => limiter.run(() => started.push(i)));
    const acquiring = limiter.acquire();
    expect(limiter.pendingCount).toBe(4);
    gate.resolve();
    expect(await running).toBe('finished while paused');
    await flush();
    expect(started).toEqual([0]);
    expect(limiter.activeCount).toBe(0);
    limiter.resume();
    expect(limiter.isPaused).toBe(false);
    expect(limiter.activeCount).toBe(2); // up to the limit, at once
    await Promise.all(queued);
    expect(started).toEqual([0, 1, 2, 3]);
    (await acquiring)();
    await limiter.onIdle();
  });

  it('pause and resume are idempotent; raising the limit while paused starts nothing', async () => {
    const limiter = new Limiter(1);
    limiter.pause();
    limiter.pause();
    const started: number[] = [];
    const runs = [1, 2].map((i) => limiter.run(() => started.push(i)));
    limiter.limit = 5;
    await flush();
    expect(started).toEqual([]);
    limiter.resume();
    limiter.resume();
    await Promise.all(runs);
    expect(started).toEqual([1, 2]);
  });

  it('a call granted a slot and paused before it starts waits again, first in line', async () => {
    const limiter = new Limiter(1);
    const hold = await limiter.acquire();
    const started: number[] = [];
    const runs = [1, 2].map((i) => limiter.run(() => started.push(i)));
    hold(); // grants call 1...
    limiter.pause(); // ...which has not started yet
    await flush();
    expect(started).toEqual([]);
    expect(limiter.activeCount).toBe(0);
    expect(limiter.pendingCount).toBe(2);
    limiter.resume();
    await Promise.all(runs);
    expect(started).toEqual([1, 2]);
  });

  it('onIdle waits through a pause: queued work is not idle', async () => {
    const limiter = new Limiter(1);
    limiter.pause();
    void limiter.run(() => 1);
    let idle = false;
    const waiting = limiter.onIdle().then(() => (idle = true));
    await flush();
    expect(idle).toBe(false);
    limiter.resume();
    await waiting;
    expect(idle).toBe(true);
  });
});

describe('Limiter onEmpty and onSizeLessThan', () => {
  it('onEmpty resolves once every queued call has started (running work may remain), at once when empty', async () => {
    const limiter = new Limiter(1);
    await limiter.onEmpty();
    const { gates } = hold(limiter, 3);
    let empty = false;
    const waiting = limiter.onEmpty().then(() => (empty = true));
    gates[0]!.resolve(0);
    await flush();
    expect(empty).toBe(false);
    gates[1]!.resolve(1);
    await waiting;
    expect(limiter.pendingCount).toBe(0);
    expect(limiter.activeCount).toBe(1); // the last call still runs
    gates[2]!.resolve(2);
    await limiter.onIdle();
  });

  it('onSizeLessThan(n) resolves when fewer than n calls are queued, at once if so now', async () => {
    const limiter = new Limiter(1);
    const { gates } = hold(limiter, 5); // 1 running, 4 queued
    await limiter.onSizeLessThan(5);
    const seen: number[] = [];
    const below3 = limiter.onSizeLessThan(3).then(() => seen.push(limiter.pendingCount));
    const below1 = limiter.onSizeLessThan(1).then(() => seen.push(limiter.pendingCount));
    for (let i = 0; i < 5; i++) {
      gates[i]!.resolve(i);
      await flush();
    }
    await Promise.all([below3, below1]);
    expect(seen).toEqual([2, 0]);
  });

  it('aborts and clearQueue shrink the queue too', async () => {
    const limiter = new Limiter(1);
    const hold = await limiter.acquire();
    const controller = new AbortController();
    const a = limiter.schedule(() => 1, { signal: controller.signal }).catch(() => 'aborted');
    const b = limiter.run(() => 2).catch(() => 'cleared');
    const below2 = limiter.onSizeLessThan(2);
    const empty = limiter.onEmpty();
    controller.abort();
    await below2;
    limiter.clearQueue();
    await empty;
    expect(await Promise.all([a, b])).toEqual(['aborted', 'cleared']);
    hold();
  });

  it('aborting the signal of onEmpty / onSizeLessThan rejects promptly with signal.reason', async () => {
    const limiter = new Limiter(1);
    const hold = await limiter.acquire();
    void limiter.run(() => 1);
    const controller = new AbortController();
    const empty = limiter.onEmpty({ signal: controller.signal });
    const below = limiter.onSizeLessThan(1, { signal: controller.signal });
    const reason = new Error('stop waiting');
    controller.abort(reason);
    await expect(empty).rejects.toBe(reason);
    await expect(below).rejects.toBe(reason);
    await expect(limiter.onEmpty({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    hold();
    await limiter.onIdle();
  });

  it('onSizeLessThan validates n and its options, naming them', () => {
    const limiter = new Limiter(1);
    expect(() => limiter.onSizeLessThan(0)).toThrow(RangeError);
    expect(() => limiter.onSizeLessThan(1.5)).toThrow(/\bn\b/);
    expect(() => limiter.onSizeLessThan('2' as unknown as number)).toThrow(TypeError);
    expect(() => limiter.onSizeLessThan(2, { sginal: undefined } as unknown as { signal: AbortSignal })).toThrow(
      /Limiter\.onSizeLessThan: unknown option 'sginal'/,
    );
    expect(() => limiter.onEmpty({ signal: 5 as unknown as AbortSignal })).toThrow(/signal/);
  });
});
