import { now } from '@lf/scope';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { minGap, stallable, useFakeClock, windowsOver } from '@lf/test-support';
import { RateLimiter } from './rate-limiter.js';
import { Throttle } from './throttle.js';

describe('RateLimiter windows on the release clock, pause and abort', () => {
  useFakeClock();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('windows are half-open: two releases exactly interval apart are not in one window', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 100 });
    const first = await limiter.acquire();
    let second = -1;
    const next = limiter.acquire().then((g) => (second = g.at));
    await vi.advanceTimersByTimeAsync(99.5);
    expect(second).toBe(-1); // 99.5 ms later: still in first's window [at, at + 100)
    await vi.advanceTimersByTimeAsync(0.5);
    await next;
    expect(second).toBe(first.at + 100); // exactly at + 100: a new window
  });

  it('grant.at is the release time on the performance.now() clock, read when acquire resolves', async () => {
    const limiter = new RateLimiter({ limit: 1, interval: 50 });
    const t0 = performance.now();
    expect((await limiter.acquire()).at).toBe(t0);
    let at = -1;
    let seen = -1;
    const next = limiter.acquire().then((g) => {
      at = g.at;
      seen = performance.now();
    });
    await vi.advanceTimersByTimeAsync(50);
    await next;
    expect(at).toBe(t0 + 50);
    expect(seen).toBe(at);
  });

  it('the issue repro: a call that blocks the loop for 400 ms never lets 9 start in one real window (limit 5)', async () => {
    const stall = stallable();
    const limiter = new RateLimiter({ limit: 5, interval: 1000 });
    const ats: number[] = [];
    let blocked = false;
    const all = Array.from({ length: 15 }, () =>
      limiter.call(() => {
        ats.push(now());
        if (!blocked) {
          blocked = true;
          stall(400); // the first released call blocks the loop for 400 ms
        }
      }),
    );
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all(all);
    expect(ats).toHaveLength(15);
    expect(
      windowsOver(
        ats.map((at) => ({ at, costs: [1] })),
        [{ limit: 5, interval: 1000 }],
      ),
    ).toEqual([]);
  });

  it('a released call that blocks the loop delays the releases after it: they are decided once it has run, on a fresh clock', async () => {
    const stall = stallable();
    const limiter = new RateLimiter({ limit: 5, interval: 1000 });
    const t0 = now();
    const ats: number[] = [];
    const starts: number[] = [];
    const all = Array.from({ length: 10 }, (_, i) =>
      limiter.acquire().then((grant) => {
        ats.push(grant.at - t0);
        starts.push(now() - t0);
        if (i === 0) stall(400);
      }),
    );
    await vi.advanceTimersByTimeAsync(3000);
    await Promise.all(all);
    // v1 released 5 at 0 and the 4 after the blocked one started at 400, 1 s before the next 5 (9 in [400, 1400)).
    expect(ats).toEqual([0, 400, 400, 400, 400, 1000, 1400, 1400, 1400, 1400]);
    expect(starts).toEqual(ats); // each call starts when it is released
    expect(
      windowsOver(
        starts.map((at) => ({ at, costs: [1] })),
        [{ limit: 5, interval: 1000 }],
      ),
    ).toEqual([]);
  });

  it('after a blocked loop, no window holds more than limit, and releases resume as soon as the window allows', async () => {
    const stall = stallable();
    const limiter = new RateLimiter({ limit: 3, interval: 30 });
    const t0 = now();
    const ats: number[] = [];
    const all = Array.from({ length: 9 }, () => limiter.acquire().then((g) => ats.push(g.at - t0)));
    await vi.advanceTimersByTimeAsync(0); // 3 at 0; the next 3 are due at 30
    stall(40); // the timer for 30 fires at 70
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(all);
    expect(ats).toEqual([0, 0, 0, 70, 70, 70, 100, 100, 100]);
    expect(
      windowsOver(
        ats.map((at) => ({ at, costs: [1] })),
        [{ limit: 3, interval: 30 }],
      ),
    ).toEqual([]);
  });

  it('Throttle after a blocked loop: no two releases closer than the period', async () => {
    const stall = stallable();
    const throttle = new Throttle(500);
    const ats: number[] = [];
    let first = true;
    const all = Array.from({ length: 5 }, () =>
      throttle.call(() => {
        ats.push(now());
        if (first) {
          first = false;
          stall(800); // an 800 ms task: v1 then started two calls 200 ms apart
        }
      }),
    );
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all(all);
    expect(minGap(ats)).toBeGreaterThanOrEqual(500);
  });

  it('pause: nothing is released before now + ms, then releases resume within the windows', async () => {
    const limiter = new RateLimiter({ limit: 2, interval: 100 });
    const t0 = now();
    await limiter.acquire();
    limiter.pause(250);
    const ats: number[] = [];
    const all = Array.from({ length: 4 }, () => limiter.acquire().then((g) => ats.push(g.at - t0)));
    expect(limiter.pendingCount).toBe(4); // even though the window has room
    await vi.advanceTimersByTimeAsync(249);
    expect(ats).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(all);
    expect(ats).toEqual([250, 250, 350, 350]);
  });

  it('pause: a longer pause extends it, a shorter one never shortens it', async () => {
    const limiter = new RateLimiter({ limit: 5, interval: 10 });
    const t0 = now();
    limiter.pause(100);
    let at = -1;
    const next = limiter.acquire().then((g) => (at = g.at - t0));
    await vi.advanceTimersByTimeAsync(50);
    limiter.pause(10); // ends at 60: shorter than the pause in force (100)
    await vi.advanceTimersByTimeAsync(30);
    limiter.pause(70); // ends at 150: extends it
    await vi.advanceTimersByTimeAsync(200);
    await next;
    expect(at).toBe(150);
    limiter.pause(0); // changes nothing
    expect((await limiter.acquire()).at).toBe(now());
  });

  it('pause is validated, naming ms', () => {
    const limiter = new RateLimiter({ limit: 1, interval: 10 });
    expect(() => limiter.pause(-1)).toThrow(RangeError);
    expect(() => limiter.pause(Number.NaN)).toThrow(/ms/);
    expect(() => limiter.pause(Infinity)).toThrow(RangeError);
    expect(() => limiter.pause('5' as never)).toThrow(TypeError);
  });

  it('a stall during a pause still releases no more than limit per window', async () => {
    const stall = stallable();
    const limiter = new RateLimiter({ limit: 2, interval: 100 });
    const t0 = now();
    limiter.pause(50);
    const ats: number[] = [];
    const all = Array.from({ length: 6 }, () => limiter.acquire().then((g) => ats.push(g.at - t0)));
    stall(500);
    await vi.advanceTimersByTimeAsync(400);
    await Promise.all(all);
    expect(ats).toEqual([550, 550, 650, 650, 750, 750]);
  });

  it('an aborted head waiter rejects at once with signal.reason and its place goes to the next, who may go now', async () => {
    const limiter = new RateLimiter({ limit: 10, interval: 100 });
    const t0 = now();
    await limiter.acquire({ cost: 5 });
    const controller = new AbortController();
    const big = limiter.acquire({ cost: 10, signal: controller.signal }); // waits a full window
    let smallAt = -1;
    const small = limiter.acquire({ cost: 5 }).then((g) => (smallAt = g.at - t0)); // fits, but FIFO holds it
    await vi.advanceTimersByTimeAsync(20);
    expect(smallAt).toBe(-1);
    const reason = new Error('no longer needed');
    controller.abort(reason);
    await expect(big).rejects.toBe(reason);
    await small;
    expect(smallAt).toBe(20); // at once: the aborted request consumed nothing
    expect(limiter.pendingCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('no timer is left once the last waiter is aborted, and none runs when nobody waits', async () => {
    const limiter = new RateLimiter({ limits: { a: { limit: 1, interval: 100 }, b: { limit: 5, interval: 1000 } } });
    await limiter.acquire();
    expect(vi.getTimerCount()).toBe(0);
    const controller = new AbortController();
    const waiting = [limiter.acquire({ signal: controller.signal }), limiter.acquire({ signal: controller.signal })];
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort('gone');
    expect(await Promise.allSettled(waiting)).toEqual([
      { status: 'rejected', reason: 'gone' },
      { status: 'rejected', reason: 'gone' },
    ]);
    expect(vi.getTimerCount()).toBe(0);
    limiter.pause(1000); // a pause with nobody waiting arms nothing
    expect(vi.getTimerCount()).toBe(0);
  });
});
