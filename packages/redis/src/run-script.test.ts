import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RedisScripts } from './adapters.js';
import { RedisUnavailableError } from './errors.js';
import { CommandTimer, runScript, Script } from './run-script.js';

/** A fake client: every call waits until the test answers it. */
function fakeRedis(): RedisScripts & { answers: ((reply: unknown) => void)[] } {
  const answers: ((reply: unknown) => void)[] = [];
  const run = (): Promise<unknown> =>
    new Promise((resolve) => {
      answers.push(resolve);
    });
  return { answers, evalsha: run, eval: run };
}

const script = new Script('return { 0 }');

afterEach(() => {
  vi.useRealTimers();
});

describe('runScript with a shared CommandTimer', () => {
  it('fails each command at its own commandTimeout with one timer, whatever the others do, and leaves no timer once none runs', async () => {
    await script.sha1(); // the digest (Web Crypto) on real time, so that the calls below are sent at once
    vi.useFakeTimers();
    const redis = fakeRedis();
    const timer = new CommandTimer(1000);
    const outcome = (p: Promise<unknown>): { settled?: unknown; at?: number } => {
      const o: { settled?: unknown; at?: number } = {};
      p.then(
        (value) => {
          o.settled = value;
          o.at = Date.now();
        },
        (error: unknown) => {
          o.settled = error;
          o.at = Date.now();
        },
      );
      return o;
    };
    const start = Date.now();
    const first = outcome(runScript(redis, script, [], [], timer));
    await vi.advanceTimersByTimeAsync(300);
    const second = outcome(runScript(redis, script, [], [], timer));
    await vi.advanceTimersByTimeAsync(300);
    const third = outcome(runScript(redis, script, [], [], timer));
    expect(vi.getTimerCount()).toBe(1); // one timer for the three commands
    redis.answers[0]!([0]); // the oldest answers: the next one still times out at its own deadline
    await vi.advanceTimersByTimeAsync(0);
    expect(first.settled).toEqual([0]);
    await vi.advanceTimersByTimeAsync(699); // 1299 ms
    expect(second.settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1); // 1300 ms: 1000 ms after it was sent
    expect(second.settled).toBeInstanceOf(RedisUnavailableError);
    expect(second.at! - start).toBe(1300);
    redis.answers[2]!([0]); // the last one answers in time
    await vi.advanceTimersByTimeAsync(0);
    expect(third.settled).toEqual([0]);
    expect(vi.getTimerCount()).toBe(0);
    redis.answers[1]!([0]); // a reply after the timeout changes nothing
    await vi.advanceTimersByTimeAsync(2000);
    expect(second.settled).toBeInstanceOf(RedisUnavailableError);
  });

  it('a lone command arms its own timeout and clears it when it answers', async () => {
    await script.sha1();
    vi.useFakeTimers();
    const redis = fakeRedis();
    const timer = new CommandTimer(500);
    const reply = runScript(redis, script, [], [], timer);
    expect(vi.getTimerCount()).toBe(1);
    redis.answers[0]!([0, 7]);
    await expect(reply).resolves.toEqual([0, 7]);
    expect(vi.getTimerCount()).toBe(0);
    const late = runScript(redis, script, [], [], timer);
    const rejected = expect(late).rejects.toThrow(/did not answer within 500 ms/);
    await vi.advanceTimersByTimeAsync(500);
    await rejected;
    expect(vi.getTimerCount()).toBe(0);
  });
});
