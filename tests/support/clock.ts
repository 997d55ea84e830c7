/**
 * The fake clock of lf's tests: everything lf's packages read or schedule
 * with (timers, `performance.now()`, `Date`), faked together.
 */
import { afterEach, beforeEach, vi } from 'vitest';

type Faked = 'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval' | 'performance' | 'Date';

/** What `vi.useFakeTimers` fakes in a test on lf's clock. */
export const FAKE_TIMERS: { toFake: Faked[] } = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'],
};

/**
 * Puts every test of the enclosing `describe` (or file) on the fake clock:
 * `vi.useFakeTimers(FAKE_TIMERS)` before each test, `vi.useRealTimers()` after.
 */
export function useFakeClock(): void {
  beforeEach(() => {
    vi.useFakeTimers(FAKE_TIMERS);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/**
 * Makes the event loop "late" on the fake clock: fake timers always fire
 * exactly on time, so a stall is modelled by moving the clock that `now()`
 * reads without firing any timer, which is what a blocked event loop does to
 * a real timer. Returns `stall(ms)`. It spies on `performance.now`: the test
 * file restores it (`vi.restoreAllMocks()` after each test).
 */
export function stallable(): (ms: number) => void {
  let lag = 0;
  const fakeNow = performance.now.bind(performance);
  vi.spyOn(performance, 'now').mockImplementation(() => fakeNow() + lag);
  return (ms) => {
    lag += ms;
  };
}
