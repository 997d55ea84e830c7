import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { CancelScope } from './cancel-scope.js';
import { CancelledError, TimeoutError } from './errors.js';
import { sleep } from './sleep.js';
import { now } from './timers.js';

/** A body that waits on the scope's signal until it aborts. */
const waitForAbort = ({ signal }: CancelScope): Promise<void> => sleep(Infinity, { signal });

describe('CancelScope', () => {
  useFakeClock();

  describe('run', () => {
    it('resolves the body value, passing the scope, and leaves no timer', async () => {
      const scope = new CancelScope({ timeout: 1000 });
      expect(vi.getTimerCount()).toBe(1);
      await expect(scope.run((s) => (s === scope ? 'same' : 'other'))).resolves.toBe('same');
      expect(vi.getTimerCount()).toBe(0);
      expect(scope.cancelledCaught).toBe(false);
      expect(scope.signal.aborted).toBe(false);
    });

    it('awaits an async body and a thenable', async () => {
      const promise = new CancelScope().run(async () => {
        await sleep(10);
        return 5;
      });
      await vi.advanceTimersByTimeAsync(10);
      await expect(promise).resolves.toBe(5);
      const thenable = {
        then: (ok: (v: number) => void) => {
          ok(7);
        },
      } as unknown as PromiseLike<number>;
      await expect(new CancelScope().run(() => thenable)).resolves.toBe(7);
    });

    it('turns a synchronous throw of the body into a rejection', async () => {
      const boom = new Error('boom');
      const promise = new CancelScope().run(() => {
        throw boom;
      });
      await expect(promise).rejects.toBe(boom);
    });

    it('run swallows only its own cancellation', async () => {
      // Its own reason: swallowed.
      const own = new CancelScope();
      const ownRun = own.run(waitForAbort);
      own.cancel();
      await expect(ownRun).resolves.toBeUndefined();
      expect(own.cancelledCaught).toBe(true);

      // An AbortError raised (e.g. by fetch) while the scope cancelled itself: swallowed.
      const fetchLike = new CancelScope();
      const fetchRun = fetchLike.run(async ({ signal }) => {
        await sleep(Infinity, { signal }).catch(() => undefined);
        throw new DOMException('This operation was aborted', 'AbortError');
      });
      fetchLike.cancel();
      await expect(fetchRun).resolves.toBeUndefined();

      // An error named TimeoutError (AbortSignal.timeout style) while cancelled: swallowed.
      const timeoutLike = new CancelScope();
      timeoutLike.cancel();
      await expect(
        timeoutLike.run(() => {
          throw new DOMException('timed out', 'TimeoutError');
        }),
      ).resolves.toBeUndefined();

      // A real error while cancelled: propagates unchanged.
      const real = new CancelScope();
      const boom = new Error('boom');
      real.cancel();
      await expect(real.run(() => Promise.reject(boom))).rejects.toBe(boom);
      expect(real.cancelledCaught).toBe(false);

      // An AbortError while the scope is NOT cancelled: propagates.
      const notCancelled = new CancelScope();
      const abortError = new DOMException('someone else', 'AbortError');
      await expect(notCancelled.run(() => Promise.reject(abortError))).rejects.toBe(abortError);
      expect(notCancelled.cancelledCaught).toBe(false);

      // A CancelledError that is not this scope's reason, while the scope cancelled
      // itself: a cancellation like an AbortError (one definition, isCancellation),
      // so swallowed, as Trio's cancelled scope catches the Cancelled that reaches it.
      const foreign = new CancelScope();
      foreign.cancel();
      const other = new CancelledError('not mine');
      await expect(foreign.run(() => Promise.reject(other))).resolves.toBeUndefined();
      expect(foreign.cancelledCaught).toBe(true);
      // The same error while the scope is NOT cancelled: propagates.
      const idle = new CancelScope();
      await expect(idle.run(() => Promise.reject(other))).rejects.toBe(other);
    });

    it("propagates the parent's cancellation instead of swallowing it", async () => {
      const parent = new AbortController();
      const reason = new Error('parent says stop');
      const scope = new CancelScope({ signal: parent.signal });
      const promise = scope.run(waitForAbort);
      parent.abort(reason);
      await expect(promise).rejects.toBe(reason);
      expect(scope.cancelledCaught).toBe(false);
      expect(scope.cancelCalled).toBe(false);
    });

    it('does not swallow an AbortError while the parent is aborted too', async () => {
      const parent = new AbortController();
      const scope = new CancelScope({ signal: parent.signal, shield: true });
      scope.cancel();
      parent.abort();
      const abortError = new DOMException('ambiguous', 'AbortError');
      await expect(scope.run(() => Promise.reject(abortError))).rejects.toBe(abortError);
    });

    it('resolves the value of a body that swallowed the cancellation, without cancelledCaught', async () => {
      const scope = new CancelScope({ timeout: 10 });
      const promise = scope.run(async ({ signal }) => {
        await sleep(1000, { signal }).catch(() => undefined);
        return 'partial';
      });
      await vi.advanceTimersByTimeAsync(10);
      await expect(promise).resolves.toBe('partial');
      expect(scope.cancelledCaught).toBe(false);
      expect(scope.cancelCalled).toBe(true);
    });

    it('waits for a body that ignores cancellation', async () => {
      const scope = new CancelScope({ timeout: 10 });
      let settled = false;
      const promise = scope
        .run(() => sleep(500).then(() => 'ignored'))
        .then((v) => {
          settled = true;
          return v;
        });
      await vi.advanceTimersByTimeAsync(10);
      expect(scope.signal.aborted).toBe(true);
      await vi.advanceTimersByTimeAsync(400);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(90);
      await expect(promise).resolves.toBe('ignored');
    });

    it('a cancel before run is remembered: the body runs with an aborted signal', async () => {
      const scope = new CancelScope();
      const reason = new Error('early');
      scope.cancel(reason);
      const seen: boolean[] = [];
      const result = await scope.run(async ({ signal }) => {
        seen.push(signal.aborted);
        await sleep(1000, { signal });
        return 'unreachable';
      });
      expect(seen).toEqual([true]);
      expect(result).toBeUndefined();
      expect(scope.cancelledCaught).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('runs once: a second run throws', async () => {
      const scope = new CancelScope();
      await scope.run(() => 1);
      expect(() => scope.run(() => 2)).toThrow(/already/);
    });

    it('throws when run after being disposed', () => {
      const scope = new CancelScope();
      scope[Symbol.dispose]();
      expect(() => scope.run(() => 1)).toThrow(/disposed/);
    });

    it('rejects a non-function body synchronously with a TypeError naming fn', () => {
      expect(() => new CancelScope().run(42 as never)).toThrow(TypeError);
      expect(() => new CancelScope().run(42 as never)).toThrow(/fn/);
    });
  });

  describe('cancel', () => {
    it('aborts signal with a CancelledError by default and sets cancelCalled', () => {
      const scope = new CancelScope();
      expect(scope.cancelCalled).toBe(false);
      scope.cancel();
      expect(scope.cancelCalled).toBe(true);
      expect(scope.signal.aborted).toBe(true);
      expect(scope.signal.reason).toBeInstanceOf(CancelledError);
    });

    it('aborts with the given reason; a second cancel keeps the first reason', () => {
      const scope = new CancelScope();
      const first = new Error('first');
      scope.cancel(first);
      scope.cancel(new Error('second'));
      expect(scope.signal.reason).toBe(first);
    });

    it('clears the deadline timer and the parent listener at once', () => {
      const parent = new AbortController();
      const remove = vi.spyOn(parent.signal, 'removeEventListener');
      const scope = new CancelScope({ timeout: 1000, signal: parent.signal });
      expect(vi.getTimerCount()).toBe(1);
      scope.cancel();
      expect(vi.getTimerCount()).toBe(0);
      expect(remove).toHaveBeenCalledTimes(1);
    });
  });

  describe('deadline', () => {
    it('a deadline expiring aborts signal with a TimeoutError and run resolves undefined', async () => {
      const scope = new CancelScope({ timeout: 100 });
      const promise = scope.run(waitForAbort);
      await vi.advanceTimersByTimeAsync(99);
      expect(scope.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(scope.signal.reason).toBeInstanceOf(TimeoutError);
      await expect(promise).resolves.toBeUndefined();
      expect(scope.cancelCalled).toBe(true);
      expect(scope.cancelledCaught).toBe(true);
    });

    it('timeout is relative to now, deadline is absolute on now(), and the earlier wins', () => {
      vi.advanceTimersByTime(1000);
      const start = now();
      expect(new CancelScope({ timeout: 50 }).deadline).toBe(start + 50);
      expect(new CancelScope({ deadline: start + 70 }).deadline).toBe(start + 70);
      expect(new CancelScope({ timeout: 50, deadline: start + 20 }).deadline).toBe(start + 20);
      expect(new CancelScope({ timeout: 10, deadline: start + 20 }).deadline).toBe(start + 10);
      expect(new CancelScope().deadline).toBe(Infinity);
      vi.clearAllTimers();
    });

    it('has no timer without a deadline', () => {
      const scope = new CancelScope({ timeout: Infinity });
      expect(vi.getTimerCount()).toBe(0);
      expect(scope.deadline).toBe(Infinity);
    });

    it('a deadline already past (or timeout 0) cancels at once, with no timer', () => {
      const zero = new CancelScope({ timeout: 0 });
      expect(zero.signal.reason).toBeInstanceOf(TimeoutError);
      const past = new CancelScope({ deadline: now() - 5 });
      expect(past.signal.aborted).toBe(true);
      expect(past.cancelCalled).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('moving the deadline re-arms the timer', async () => {
      const scope = new CancelScope({ timeout: 100 });
      const promise = scope.run(waitForAbort);
      await vi.advanceTimersByTimeAsync(50);
      scope.deadline = now() + 200; // fires at t = 250, not 100
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(150);
      expect(scope.signal.aborted).toBe(false);
      scope.deadline = now() + 10; // earlier again: t = 210
      await vi.advanceTimersByTimeAsync(9);
      expect(scope.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(scope.signal.reason).toBeInstanceOf(TimeoutError);
      await expect(promise).resolves.toBeUndefined();
    });

    it('setting the deadline in the past cancels at once; Infinity removes the timer', () => {
      const scope = new CancelScope({ timeout: 100 });
      scope.deadline = Infinity;
      expect(vi.getTimerCount()).toBe(0);
      expect(scope.signal.aborted).toBe(false);
      scope.deadline = now();
      expect(scope.signal.reason).toBeInstanceOf(TimeoutError);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('moving the deadline after run settled starts no timer', async () => {
      const scope = new CancelScope();
      await scope.run(() => 1);
      scope.deadline = now() + 10;
      expect(scope.deadline).toBe(now() + 10);
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(20);
      expect(scope.signal.aborted).toBe(false);
    });

    it('re-arms instead of cancelling when the timer fires before the clock reaches the deadline', async () => {
      const scope = new CancelScope({ timeout: 100 });
      // Simulate a clock that lags the timer by a fraction of a millisecond.
      const realNow = performance.now.bind(performance);
      const lag = vi.spyOn(performance, 'now').mockImplementation(() => realNow() - 0.5);
      await vi.advanceTimersByTimeAsync(100);
      expect(scope.signal.aborted).toBe(false);
      lag.mockRestore();
      await vi.advanceTimersByTimeAsync(1);
      expect(scope.signal.aborted).toBe(true);
    });

    it('rejects a bad deadline when set', () => {
      const scope = new CancelScope();
      expect(() => (scope.deadline = Number.NaN)).toThrow(RangeError);
      expect(() => (scope.deadline = '5' as never)).toThrow(/deadline/);
    });
  });

  describe('parent signal and shield', () => {
    it('cancelling the outer aborts the inner with the same reason', () => {
      const outer = new CancelScope();
      const inner = new CancelScope({ signal: outer.signal });
      const reason = new Error('outer');
      outer.cancel(reason);
      expect(inner.signal.reason).toBe(reason);
      expect(inner.cancelCalled).toBe(false);
    });

    it('an inner deadline is caught by the inner scope only', async () => {
      const outer = new CancelScope();
      let inner: CancelScope | undefined;
      const promise = outer.run(async ({ signal }) => {
        inner = new CancelScope({ timeout: 50, signal });
        const innerResult = await inner.run(waitForAbort);
        expect(signal.aborted).toBe(false);
        return { innerResult, after: 'outer kept going' };
      });
      await vi.advanceTimersByTimeAsync(50);
      await expect(promise).resolves.toEqual({ innerResult: undefined, after: 'outer kept going' });
      expect(inner?.cancelledCaught).toBe(true);
      expect(outer.cancelledCaught).toBe(false);
      expect(outer.signal.aborted).toBe(false);
    });

    it('an outer cancellation propagates out of the inner run and is caught by the outer', async () => {
      const outer = new CancelScope({ timeout: 30 });
      let inner: CancelScope | undefined;
      let afterInner = false;
      const promise = outer.run(async ({ signal }) => {
        inner = new CancelScope({ timeout: 1000, signal });
        await inner.run(waitForAbort);
        afterInner = true;
      });
      await vi.advanceTimersByTimeAsync(30);
      await expect(promise).resolves.toBeUndefined();
      expect(afterInner).toBe(false);
      expect(inner?.cancelledCaught).toBe(false);
      expect(outer.cancelledCaught).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('an already aborted parent cancels the scope at construction', () => {
      const reason = new Error('gone');
      const scope = new CancelScope({ signal: AbortSignal.abort(reason), timeout: 100 });
      expect(scope.signal.reason).toBe(reason);
      expect(vi.getTimerCount()).toBe(0);
    });

    it("shield keeps the parent's cancel out", async () => {
      const parent = new AbortController();
      const scope = new CancelScope({ signal: parent.signal, shield: true });
      const promise = scope.run(async ({ signal }) => {
        await sleep(100, { signal });
        return 'finished';
      });
      parent.abort(new Error('parent'));
      expect(scope.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(100);
      await expect(promise).resolves.toBe('finished');
      expect(new CancelScope({ signal: AbortSignal.abort(), shield: true }).signal.aborted).toBe(false);
    });

    it("a shielded scope's own deadline still fires", async () => {
      const parent = new AbortController();
      const scope = new CancelScope({ signal: parent.signal, shield: true, timeout: 20 });
      const promise = scope.run(waitForAbort);
      await vi.advanceTimersByTimeAsync(20);
      await expect(promise).resolves.toBeUndefined();
    });

    it('unshielding while the parent is aborted cancels now, with the parent reason', () => {
      const parent = new AbortController();
      const scope = new CancelScope({ signal: parent.signal, shield: true });
      const reason = new Error('parent');
      parent.abort(reason);
      expect(scope.signal.aborted).toBe(false);
      scope.shield = false;
      expect(scope.shield).toBe(false);
      expect(scope.signal.reason).toBe(reason);
    });

    it('shielding later keeps a later parent abort out; unshielding follows the parent again', () => {
      const parent = new AbortController();
      const scope = new CancelScope({ signal: parent.signal });
      scope.shield = true;
      parent.abort();
      expect(scope.signal.aborted).toBe(false);
      const second = new AbortController();
      const follower = new CancelScope({ signal: second.signal, shield: true });
      follower.shield = false;
      second.abort('x');
      expect(follower.signal.reason).toBe('x');
    });

    it('rejects a non-boolean shield', () => {
      const scope = new CancelScope();
      expect(() => (scope.shield = 'yes' as never)).toThrow(TypeError);
      expect(() => (scope.shield = undefined as never)).toThrow(/shield/);
    });

    it('run clears the timer and removes the parent listener when it settles', async () => {
      const parent = new AbortController();
      const add = vi.spyOn(parent.signal, 'addEventListener');
      const remove = vi.spyOn(parent.signal, 'removeEventListener');
      const scope = new CancelScope({ signal: parent.signal, timeout: 1000 });
      const promise = scope.run(() => sleep(10));
      await vi.advanceTimersByTimeAsync(10);
      await promise;
      expect(add).toHaveBeenCalledTimes(1);
      expect(remove).toHaveBeenCalledTimes(1);
      expect(remove.mock.calls[0]?.[1]).toBe(add.mock.calls[0]?.[1]);
      expect(vi.getTimerCount()).toBe(0);
      parent.abort();
      expect(scope.signal.aborted).toBe(false);
    });
  });

  describe('dispose', () => {
    it('[Symbol.dispose] clears the timer and removes the parent listener', () => {
      const parent = new AbortController();
      const remove = vi.spyOn(parent.signal, 'removeEventListener');
      {
        using scope = new CancelScope({ signal: parent.signal, timeout: 100 });
        expect(vi.getTimerCount()).toBe(1);
        expect(scope.signal.aborted).toBe(false);
      }
      expect(vi.getTimerCount()).toBe(0);
      expect(remove).toHaveBeenCalledTimes(1);
    });

    it('a disposed scope no longer follows its deadline or its parent', async () => {
      const parent = new AbortController();
      const scope = new CancelScope({ signal: parent.signal, timeout: 10 });
      scope[Symbol.dispose]();
      scope.deadline = now() + 5;
      await vi.advanceTimersByTimeAsync(20);
      parent.abort();
      expect(scope.signal.aborted).toBe(false);
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  describe('validation', () => {
    it.each([
      [{ timeout: -1 }, RangeError, /timeout/],
      [{ timeout: Number.NaN }, RangeError, /timeout/],
      [{ timeout: '5' }, TypeError, /timeout/],
      [{ deadline: Number.NaN }, RangeError, /deadline/],
      [{ deadline: -Infinity }, RangeError, /deadline/],
      [{ shield: 1 }, TypeError, /shield/],
      [{ signal: {} }, TypeError, /signal/],
    ])('throws for %o naming the option', (options, type, message) => {
      expect(() => new CancelScope(options as never)).toThrow(type);
      expect(() => new CancelScope(options as never)).toThrow(message);
    });

    it('throws a TypeError for non-object options', () => {
      expect(() => new CancelScope(5 as never)).toThrow(TypeError);
    });
  });
});
