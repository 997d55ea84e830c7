import { describe, expect, it, vi } from 'vitest';
import type { BCallOptions } from './bcall.js';
import type { ALCallOptions } from './options.js';
import { ALCallParams, BCallParams } from './params.js';

const double = async (x: number) => x * 2;

describe('ALCallParams', () => {
  it('the seed example: one configuration reused with different inputs', async () => {
    const params = new ALCallParams({ maxConcurrent: 3, numRetries: 2, retryDelay: 100, backoffFactor: 2 });
    await expect(params.run([1, 2, 3, 4, 5], double)).resolves.toEqual([2, 4, 6, 8, 10]);
    await expect(params.run([10, 20, 30], double)).resolves.toEqual([20, 40, 60]);
  });

  it('uses the stored function when run gets none, and the given one over the stored one', async () => {
    const params = new ALCallParams({ fn: double });
    await expect(params.run([1])).resolves.toEqual([2]);
    await expect(params.run([1], (x: number) => x + 1)).resolves.toEqual([2]);
  });

  it('run with no function anywhere is a TypeError', async () => {
    await expect(new ALCallParams({}).run([1])).rejects.toThrow(TypeError);
  });

  it('overrides apply to one run only', async () => {
    const params = new ALCallParams({ dropna: false });
    await expect(params.run([1, 2], (x: number) => (x === 1 ? null : x), { dropna: true })).resolves.toEqual([2]);
    await expect(params.run([1, 2], (x: number) => (x === 1 ? null : x))).resolves.toEqual([null, 2]);
  });

  it('is validated at construction with the same errors as alcall', () => {
    expect(() => new ALCallParams({ maxConcurrent: 0 })).toThrow(RangeError);
    expect(() => new ALCallParams({ maxConcurrent: 0 })).toThrow(/maxConcurrent/);
    expect(() => new ALCallParams({ uniqueOutput: true })).toThrow(/uniqueOutput/);
    expect(() => new ALCallParams({ fn: 3 as never })).toThrow(TypeError);
  });

  it('is frozen', () => {
    const params = new ALCallParams({ numRetries: 1 });
    expect(Object.isFrozen(params)).toBe(true);
    expect(() => {
      (params as unknown as { options: object }).options = {};
    }).toThrow(TypeError);
  });

  it('with() returns a new validated configuration and leaves the original as it was', () => {
    const a = new ALCallParams({ numRetries: 1 });
    const b = a.with({ numRetries: 2, maxConcurrent: 4 });
    expect(a.toJSON()).toMatchObject({ numRetries: 1 });
    expect(b.toJSON()).toMatchObject({ numRetries: 2, maxConcurrent: 4 });
    expect(() => a.with({ numRetries: -1 })).toThrow(RangeError);
  });

  it('toJSON lists the options that were given, and no function', () => {
    const json = new ALCallParams({ fn: double, onProgress: () => undefined, numRetries: 2, dropna: true }).toJSON();
    expect(json).toEqual({ numRetries: 2, dropna: true });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('toJSON round-trips: an option with no value is left out, never null', () => {
    const params = new ALCallParams({
      maxConcurrent: Infinity,
      retryTimeout: Infinity,
      maxDelay: Infinity,
      throttlePeriod: 0,
      numRetries: 1,
    });
    const text = JSON.stringify(params);
    expect(text).not.toContain('null');
    const again = new ALCallParams(JSON.parse(text) as ALCallOptions);
    expect(again.toJSON()).toEqual(params.toJSON());
    const b = new BCallParams({ batchSize: 2, maxConcurrent: Infinity, uniqueInput: true, sanitizeInput: true });
    expect(new BCallParams(JSON.parse(JSON.stringify(b)) as BCallOptions).toJSON()).toEqual({
      batchSize: 2,
      uniqueInput: true,
      sanitizeInput: true,
    });
  });

  it('with({ fn: undefined }) clears the stored function, and with({}) keeps it', async () => {
    const params = new ALCallParams({ fn: double });
    expect(params.with({}).fn).toBe(double);
    const cleared = params.with({ fn: undefined });
    expect(cleared.fn).toBeUndefined();
    await expect(cleared.run([1])).rejects.toThrow(TypeError);
  });

  it("the class is named 'ALCallParams'", () => {
    expect(ALCallParams.name).toBe('ALCallParams');
    expect(new ALCallParams({}).constructor.name).toBe('ALCallParams');
  });

  it('toJSON keeps a present retryDefault, even undefined, and omits an absent one', () => {
    expect('retryDefault' in new ALCallParams({}).toJSON()).toBe(false);
    expect(new ALCallParams({ retryDefault: 0 }).toJSON()).toMatchObject({ retryDefault: 0 });
  });
});

describe('BCallParams', () => {
  it('the seed example: batches of 5 with a concurrency limit and retries', async () => {
    const params = new BCallParams({ batchSize: 5, maxConcurrent: 3, numRetries: 2 });
    const batches: unknown[][] = [];
    for await (const batch of params.run(
      Array.from({ length: 20 }, (_, i) => i),
      double,
    ))
      batches.push(batch);
    expect(batches).toHaveLength(4);
    expect(batches.flat()).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('requires a valid batchSize at construction', () => {
    expect(() => new BCallParams({} as never)).toThrow(/batchSize/);
    expect(() => new BCallParams({ batchSize: 0 })).toThrow(RangeError);
  });

  it('run with no function anywhere is a TypeError', async () => {
    const gen = new BCallParams({ batchSize: 2 }).run([1]);
    await expect(gen.next()).rejects.toThrow(TypeError);
  });

  it('with({ fn: undefined }) clears the stored function, and with({}) keeps it', () => {
    const params = new BCallParams({ batchSize: 1, fn: double });
    expect(params.with({ batchSize: 2 }).fn).toBe(double);
    expect(params.with({ fn: undefined }).fn).toBeUndefined();
  });

  it("the class is named 'BCallParams'", () => {
    expect(BCallParams.name).toBe('BCallParams');
  });

  it('run: aborting while the input waits on a next() that never answers rejects at once with the reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop reading');
    const source: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<number>>(() => undefined) }),
    };
    const gen = new BCallParams({ batchSize: 2 }).run(source, double, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 5);
    await expect(gen.next()).rejects.toBe(reason);
  });

  it('with() and toJSON() carry batchSize', () => {
    const params = new BCallParams({ batchSize: 2, fn: vi.fn() }).with({ batchSize: 3 });
    expect(params.toJSON()).toMatchObject({ batchSize: 3 });
  });
});
