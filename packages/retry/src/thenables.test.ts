import { describe, expect, it } from 'vitest';
import { retry } from './retry.js';
import { withRetry } from './with-retry.js';

/** What `await` makes of `value`: the reference every retry outcome is held to. */
async function awaited(value: unknown): Promise<{ value: unknown } | { error: unknown }> {
  try {
    return { value: await value };
  } catch (error) {
    return { error };
  }
}

function outcome(promise: Promise<unknown>): Promise<{ value: unknown } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

const boom = new Error('then threw');
const thenables: [string, () => PromiseLike<unknown>][] = [
  [
    'a then that throws',
    () => ({
      then: () => {
        throw boom;
      },
    }),
  ],
  [
    'a then that resolves twice',
    () =>
      ({
        then: (ok: (v: unknown) => void) => {
          ok(1);
          ok(2);
        },
      }) as unknown as PromiseLike<unknown>,
  ],
  [
    'a then that resolves, then rejects',
    () =>
      ({
        then: (ok: (v: unknown) => void, fail: (e: unknown) => void) => {
          ok('first');
          fail(boom);
        },
      }) as unknown as PromiseLike<unknown>,
  ],
  [
    'a then that rejects, then resolves',
    () =>
      ({
        then: (ok: (v: unknown) => void, fail: (e: unknown) => void) => {
          fail(boom);
          ok('late');
        },
      }) as unknown as PromiseLike<unknown>,
  ],
  [
    'a then that resolves, then throws',
    () =>
      ({
        then: (ok: (v: unknown) => void) => {
          ok('kept');
          throw boom;
        },
      }) as unknown as PromiseLike<unknown>,
  ],
];

describe('a misbehaving thenable settles retry exactly as await would (never a hang)', () => {
  it.each(thenables)('%s: retry with no options', async (_, make) => {
    expect(await outcome(retry(make))).toEqual(await awaited(make()));
  });

  it.each(thenables)('%s: with a retryTimeout and a signal (the timed path)', async (_, make) => {
    const options = { retryTimeout: 1000, signal: new AbortController().signal };
    expect(await outcome(retry(make, options))).toEqual(await awaited(make()));
  });

  it.each(thenables)('%s: withRetry', async (_, make) => {
    expect(await outcome(withRetry(make)())).toEqual(await awaited(make()));
  });

  it('a then that throws is a failed attempt like any other: retried', async () => {
    let attempts = 0;
    const value = await retry(
      () => {
        attempts++;
        return attempts < 3 ? thenables[0]![1]() : 'third';
      },
      { numRetries: 3 },
    );
    expect(value).toBe('third');
    expect(attempts).toBe(3);
  });
});
