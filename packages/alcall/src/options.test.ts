import { describe, expect, it, vi } from 'vitest';
import { alcall } from './alcall.js';
import { bcall } from './bcall.js';
import { ALCallParams, BCallParams } from './params.js';

async function drain(gen: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const batch of gen) out.push(batch);
  return out;
}

const SUGGESTION = /unknown option 'maxConcurency' \(did you mean 'maxConcurrent'\?\)/;

describe('alcall options: unknown names are TypeErrors', () => {
  const typo = { maxConcurency: 2 } as never;
  const calls: [string, (spy: () => unknown) => Promise<unknown>, RegExp][] = [
    ['alcall', (spy) => alcall([1], spy, typo), /^alcall: /],
    ['bcall', (spy) => drain(bcall([1], spy, { batchSize: 1, ...(typo as object) } as never)), /^bcall: /],
    ['ALCallParams', async (spy) => new ALCallParams({ ...(typo as object), fn: spy }), /^ALCallParams: /],
    ['ALCallParams.run overrides', (spy) => new ALCallParams({}).run([1], spy, typo), /^ALCallParams\.run: /],
    ['ALCallParams.with', async (spy) => new ALCallParams({ fn: spy }).with(typo), /^ALCallParams\.with: /],
    ['BCallParams', async (spy) => new BCallParams({ batchSize: 1, ...(typo as object), fn: spy }), /^BCallParams: /],
    ['BCallParams.run overrides', (spy) => drain(new BCallParams({ batchSize: 1 }).run([1], spy, typo)), /^BCallParams\.run: /],
    ['BCallParams.with', async (spy) => new BCallParams({ batchSize: 1, fn: spy }).with(typo), /^BCallParams\.with: /],
  ];
  it.each(calls)('%s: an unknown option is a TypeError naming it, with a suggestion, before any call', async (_name, call, prefix) => {
    const spy = vi.fn();
    const error: unknown = await call(spy).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(SUGGESTION);
    expect((error as Error).message).toMatch(prefix);
    expect(spy).not.toHaveBeenCalled();
  });

  it("p-retry's `retries` suggests numRetries", async () => {
    await expect(alcall([1], (x) => x, { retries: 3 } as never)).rejects.toThrow(/did you mean 'numRetries'/);
  });
});

describe('alcall options are read once', () => {
  it('honours a class instance getter (an inherited option) for the whole run', async () => {
    let reads = 0;
    class Config {
      get numRetries(): number {
        reads++;
        return 2;
      }
    }
    const config = new Config();
    let attempts = 0;
    const result = await alcall(
      [1, 2, 3],
      (x: number, { attempt }) => {
        attempts++;
        if (attempt < 3) throw new Error(`fail ${x}`);
        return x * 10;
      },
      config as never,
    );
    expect(result).toEqual([10, 20, 30]);
    expect(attempts).toBe(9);
    expect(reads).toBe(1);
  });

  it('mutating the options object after the call changes nothing', async () => {
    const options: { maxConcurrent: number; numRetries?: number } = { maxConcurrent: 1 };
    let running = 0;
    let peak = 0;
    let failures = 0;
    const run = alcall(
      [1, 2, 3, 4],
      async (x: number) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 1));
        running--;
        if (x === 4 && failures++ === 0) throw new Error('no retry was configured');
        return x;
      },
      options,
    );
    options.maxConcurrent = 4;
    options.numRetries = 3;
    await expect(run).rejects.toThrow('no retry was configured');
    expect(peak).toBe(1);
  });

  it('ALCallParams and BCallParams keep the snapshot, not the object they were given', async () => {
    const options = { maxConcurrent: 1, dropna: true };
    const a = new ALCallParams(options);
    const b = new BCallParams({ ...options, batchSize: 2 });
    options.dropna = false;
    await expect(a.run([1, null, 2], (x: number | null) => x)).resolves.toEqual([1, 2]);
    expect(await drain(b.run([1, 2, 3], (x: number) => (x === 2 ? null : x)))).toEqual([[1], [3]]);
  });

  it('retryDefault present as undefined is kept', async () => {
    await expect(
      alcall(
        [1],
        () => {
          throw new Error('x');
        },
        { retryDefault: undefined },
      ),
    ).resolves.toEqual([undefined]);
  });
});

describe('alcall options: shapes of the shared limits', () => {
  it.each([
    ['limiter', { limiter: {} }],
    ['limiter', { limiter: 3 }],
    ['rateLimiter', { rateLimiter: { acquire: 1 } }],
    ['cost', { cost: 1 }],
    ['settle', { settle: 'yes' }],
  ])('a bad %s is a TypeError naming it', async (name, options) => {
    const spy = vi.fn();
    await expect(alcall([1], spy, options as never)).rejects.toThrow(TypeError);
    await expect(alcall([1], spy, options as never)).rejects.toThrow(name);
    expect(spy).not.toHaveBeenCalled();
  });
});
