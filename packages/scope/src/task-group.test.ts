import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { CancelScope } from './cancel-scope.js';
import { CancelledError, TimeoutError } from './errors.js';
import { sleep } from './sleep.js';
import { TaskGroup, taskGroup } from './task-group.js';
import { now } from './timers.js';

/** Resolves with the rejection of `promise` (so a test can advance time first without an unhandled rejection). */
const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

describe('TaskGroup', () => {
  useFakeClock();

  it("resolves the body's value only after every child has settled", async () => {
    const done: string[] = [];
    let settled = false;
    const promise = taskGroup((tg) => {
      tg.startSoon(async () => {
        await sleep(30);
        done.push('slow');
      });
      tg.startSoon(async () => {
        await sleep(10);
        done.push('fast');
      });
      return 'body';
    }).then((value) => {
      settled = true;
      return value;
    });
    await vi.advanceTimersByTimeAsync(29);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(promise).resolves.toBe('body');
    expect(done).toEqual(['fast', 'slow']);
  });

  it('resolves an async body value with no children', async () => {
    await expect(taskGroup(async () => 'alone')).resolves.toBe('alone');
  });

  it("a child's failure cancels its siblings", async () => {
    const boom = new Error('boom');
    let siblingReason: unknown;
    const start = now();
    const promise = taskGroup((tg) => {
      tg.startSoon(async () => {
        await sleep(10);
        throw boom;
      });
      tg.startSoon(async () => {
        try {
          await sleep(10_000, { signal: tg.signal });
        } catch (error) {
          siblingReason = error;
          throw error;
        }
      });
    });
    const error = failureOf(promise);
    await vi.advanceTimersByTimeAsync(10);
    const failure = await error;
    expect(now() - start).toBe(10);
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).errors).toEqual([boom]);
    expect(siblingReason).toBeInstanceOf(CancelledError);
    expect((siblingReason as CancelledError).cause).toBe(boom);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the group waits for a child that ignores cancellation', async () => {
    const boom = new Error('boom');
    let stubbornDone = false;
    let settled = false;
    const promise = taskGroup((tg) => {
      tg.startSoon(() => Promise.reject(boom));
      tg.startSoon(async () => {
        await sleep(500); // ignores tg.signal
        stubbornDone = true;
      });
    });
    const error = failureOf(promise).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(((await error) as AggregateError).errors).toEqual([boom]);
    expect(stubbornDone).toBe(true);
  });

  it('lists every real failure in the order it happened, but not the cancellations the group caused', async () => {
    const first = new Error('first');
    const second = new Error('second, raised while cancelled');
    const promise = taskGroup((tg) => {
      tg.startSoon(async () => {
        await sleep(20);
        throw first;
      });
      tg.startSoon(async () => {
        await sleep(1000, { signal: tg.signal }).catch(() => undefined);
        await sleep(5);
        throw second;
      });
      tg.startSoon(async () => {
        await sleep(1000, { signal: tg.signal }).catch(() => undefined);
        throw new DOMException('fetch aborted', 'AbortError');
      });
      tg.startSoon(async () => {
        await sleep(1000, { signal: tg.signal }).catch(() => undefined);
        throw new TimeoutError();
      });
      tg.startSoon(async () => {
        await sleep(1000, { signal: tg.signal }).catch(() => undefined);
        throw new CancelledError();
      });
    });
    const error = failureOf(promise);
    await vi.advanceTimersByTimeAsync(25);
    const failure = (await error) as AggregateError;
    expect(failure.errors).toEqual([first, second]);
    expect(failure.message).toMatch(/2 tasks failed/);
  });

  it('lists an AbortError raised while the group is NOT cancelled as a real failure', async () => {
    const abortError = new DOMException('unrelated', 'AbortError');
    const failure = await failureOf(
      taskGroup((tg) => {
        tg.startSoon(() => Promise.reject(abortError));
      }),
    );
    expect((failure as AggregateError).errors).toEqual([abortError]);
  });

  it("the body's failure cancels the children and is listed", async () => {
    const boom = new Error('body failed');
    let childAborted = false;
    const promise = taskGroup(async (tg) => {
      tg.startSoon(async () => {
        await sleep(1000, { signal: tg.signal }).catch((error: unknown) => {
          childAborted = true;
          throw error;
        });
      });
      await sleep(5);
      throw boom;
    });
    const error = failureOf(promise);
    await vi.advanceTimersByTimeAsync(5);
    expect(((await error) as AggregateError).errors).toEqual([boom]);
    expect(childAborted).toBe(true);
  });

  it("a child's synchronous throw counts as a failure", async () => {
    const boom = new Error('sync');
    const failure = await failureOf(
      taskGroup((tg) => {
        tg.startSoon(() => {
          throw boom;
        });
      }),
    );
    expect((failure as AggregateError).errors).toEqual([boom]);
  });

  it("a body's synchronous throw counts as a failure and still waits for the children", async () => {
    const boom = new Error('sync body');
    let childDone = false;
    const promise = taskGroup((tg) => {
      tg.startSoon(async () => {
        await sleep(10);
        childDone = true;
      });
      throw boom;
    });
    const error = failureOf(promise);
    await vi.advanceTimersByTimeAsync(10);
    expect(((await error) as AggregateError).errors).toEqual([boom]);
    expect(childDone).toBe(true);
  });

  it('startSoon passes the arguments and starts the child on a microtask', async () => {
    const calls: unknown[][] = [];
    await taskGroup((tg) => {
      tg.startSoon(
        (a: number, b: string) => {
          calls.push([a, b]);
        },
        1,
        'two',
      );
      expect(calls).toEqual([]);
    });
    expect(calls).toEqual([[1, 'two']]);
  });

  it('startSoon after the group finished throws', async () => {
    let group: TaskGroup | undefined;
    await taskGroup((tg) => {
      group = tg;
    });
    expect(() => group?.startSoon(() => undefined)).toThrow(/finished/);
  });

  it('children may start siblings while the group is waiting', async () => {
    const order: string[] = [];
    const promise = taskGroup((tg) => {
      tg.startSoon(async () => {
        await sleep(1);
        tg.startSoon(async () => {
          await sleep(1);
          order.push('grandchild');
        });
        order.push('child');
      });
    }).then(() => order.push('group'));
    await vi.advanceTimersByTimeAsync(2);
    await promise;
    expect(order).toEqual(['child', 'grandchild', 'group']);
  });

  it('a child started while the group is already cancelled still runs, with an aborted signal', async () => {
    const seen: boolean[] = [];
    const promise = taskGroup((tg) => {
      tg.cancelScope.cancel();
      tg.startSoon(() => {
        seen.push(tg.signal.aborted);
      });
      return 'body done';
    });
    await expect(promise).resolves.toBe('body done');
    expect(seen).toEqual([true]);
  });

  it("aborting the parent cancels the group; it rejects with the parent's reason after the children settle", async () => {
    const parent = new AbortController();
    const reason = new Error('parent gone');
    let slowDone = false;
    const promise = taskGroup(
      async (tg) => {
        tg.startSoon(() => sleep(1000, { signal: tg.signal }));
        tg.startSoon(async () => {
          await sleep(50);
          slowDone = true;
        });
        await sleep(1000, { signal: tg.signal });
      },
      { signal: parent.signal },
    );
    const error = failureOf(promise);
    await vi.advanceTimersByTimeAsync(10);
    parent.abort(reason);
    await vi.advanceTimersByTimeAsync(40);
    expect(await error).toBe(reason);
    expect(slowDone).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a real failure during a parent abort is still reported, as an AggregateError', async () => {
    const parent = new AbortController();
    const boom = new Error('real');
    const promise = taskGroup(
      (tg) => {
        tg.startSoon(async () => {
          await sleep(1000, { signal: tg.signal }).catch(() => undefined);
          throw boom;
        });
      },
      { signal: parent.signal },
    );
    parent.abort(new Error('parent'));
    expect(((await failureOf(promise)) as AggregateError).errors).toEqual([boom]);
  });

  it('an already aborted parent cancels the group before the body runs', async () => {
    const reason = new Error('early');
    const seen: boolean[] = [];
    const failure = await failureOf(
      taskGroup(
        (tg) => {
          seen.push(tg.signal.aborted);
        },
        { signal: AbortSignal.abort(reason) },
      ),
    );
    expect(failure).toBe(reason);
    expect(seen).toEqual([true]);
  });

  it('tg.cancelScope.cancel() cancels every child; the body value wins if the body completed', async () => {
    let childReason: unknown;
    const promise = taskGroup((tg) => {
      tg.startSoon(() =>
        sleep(1000, { signal: tg.signal }).catch((error: unknown) => {
          childReason = error;
          throw error;
        }),
      );
      tg.startSoon(async () => {
        await sleep(5);
        tg.cancelScope.cancel();
      });
      return 'value';
    });
    await vi.advanceTimersByTimeAsync(5);
    await expect(promise).resolves.toBe('value');
    expect(childReason).toBeInstanceOf(CancelledError);
  });

  it("rejects with the group's own cancellation when it stopped the body (no value to return)", async () => {
    const promise = taskGroup(async (tg) => {
      tg.cancelScope.deadline = now() + 20;
      await sleep(1000, { signal: tg.signal });
      return 'never';
    });
    const error = failureOf(promise);
    await vi.advanceTimersByTimeAsync(20);
    expect(await error).toBeInstanceOf(TimeoutError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a scope cancelling an inner group catches the group's rejection", async () => {
    const scope = new CancelScope({ timeout: 30 });
    const promise = scope.run(({ signal }) =>
      taskGroup(
        (tg) => {
          tg.startSoon(() => sleep(1000, { signal: tg.signal }));
          tg.startSoon(() => sleep(1000, { signal: tg.signal }));
        },
        { signal },
      ),
    );
    await vi.advanceTimersByTimeAsync(30);
    await expect(promise).resolves.toBeUndefined();
    expect(scope.cancelledCaught).toBe(true);
  });

  it('removes its listener from the parent when it settles', async () => {
    const parent = new AbortController();
    const add = vi.spyOn(parent.signal, 'addEventListener');
    const remove = vi.spyOn(parent.signal, 'removeEventListener');
    await taskGroup(
      (tg) => {
        tg.startSoon(() => undefined);
      },
      { signal: parent.signal },
    );
    expect(add).toHaveBeenCalledTimes(1);
    expect(remove).toHaveBeenCalledTimes(1);
  });

  describe('await using', () => {
    it('[Symbol.asyncDispose] waits for the children and throws their AggregateError', async () => {
      const boom = new Error('boom');
      let siblingAborted = false;
      const run = async (): Promise<void> => {
        await using tg = new TaskGroup();
        tg.startSoon(async () => {
          await sleep(10);
          throw boom;
        });
        tg.startSoon(async () => {
          await sleep(1000, { signal: tg.signal }).catch((error: unknown) => {
            siblingAborted = true;
            throw error;
          });
        });
      };
      const error = failureOf(run());
      await vi.advanceTimersByTimeAsync(10);
      const failure = await error;
      expect(failure).toBeInstanceOf(AggregateError);
      expect((failure as AggregateError).errors).toEqual([boom]);
      expect(siblingAborted).toBe(true);
    });

    it('leaving the block resolves once every child has finished', async () => {
      const done: number[] = [];
      const run = async (): Promise<void> => {
        await using tg = new TaskGroup();
        tg.startSoon(async (n: number) => {
          await sleep(n);
          done.push(n);
        }, 20);
      };
      let finished = false;
      const promise = run().then(() => (finished = true));
      await vi.advanceTimersByTimeAsync(19);
      expect(finished).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await promise;
      expect(done).toEqual([20]);
    });

    it('disposing twice returns the same promise', async () => {
      const tg = new TaskGroup();
      const first = tg[Symbol.asyncDispose]();
      expect(tg[Symbol.asyncDispose]()).toBe(first);
      await first;
    });
  });

  describe('validation', () => {
    it('throws synchronously for a bad body, options or signal', () => {
      expect(() => taskGroup(5 as never)).toThrow(/body/);
      expect(() => taskGroup(() => 1, 5 as never)).toThrow(TypeError);
      expect(() => new TaskGroup({ signal: {} as never })).toThrow(/signal/);
    });

    it('startSoon throws a TypeError naming fn for a non-function', async () => {
      const tg = new TaskGroup();
      expect(() => tg.startSoon(null as never)).toThrow(/fn/);
      await tg[Symbol.asyncDispose]();
    });
  });
});
