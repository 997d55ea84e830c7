import { describe, expect, it } from 'vitest';
import { alcall } from './alcall.js';
import { bcall } from './bcall.js';
import type { ALCallOptions } from './options.js';
import { ALCallParams, BCallParams } from './params.js';

const failOdd = (x: number) => {
  if (x % 2 === 1) throw new Error(`odd ${x}`);
  return x * 10;
};

describe('settle: true', () => {
  it('resolves one record per item, in input order; item failures never reject the call', async () => {
    const records = await alcall([1, 2, 3, 4], failOdd, { settle: true, maxConcurrent: 2 });
    expect(records.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(records[1]).toEqual({ status: 'fulfilled', value: 20 });
    expect(records[0]).toMatchObject({ status: 'rejected', reason: { message: 'odd 1' } });
  });

  it('keeps every success when one item exhausts its retries (148 of 150 kept)', async () => {
    const records = await alcall(
      Array.from({ length: 150 }, (_, i) => i),
      (x: number) => {
        if (x === 7 || x === 99) throw new Error('always');
        return x;
      },
      { settle: true, numRetries: 2 },
    );
    expect(records.filter((r) => r.status === 'fulfilled')).toHaveLength(148);
  });

  it('an abort still rejects with signal.reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const run = alcall(
      [1, 2],
      (_x: number, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
      { settle: true, signal: controller.signal },
    );
    setTimeout(() => controller.abort(reason), 1);
    await expect(run).rejects.toBe(reason);
  });

  it.each(['flatten', 'dropna', 'uniqueOutput'])('with %s is a RangeError naming it', async (name) => {
    const options = { settle: true, [name]: true, ...(name === 'uniqueOutput' ? { flatten: true } : {}) } as ALCallOptions;
    await expect(alcall([1], (x) => x, options)).rejects.toThrow(RangeError);
    const alone: ALCallOptions = { settle: true, [name]: true };
    await expect(alcall([1], (x) => x, alone)).rejects.toThrow(name);
  });

  it('with retryTiming the value is [result, ms]', async () => {
    const [record] = await alcall([1], (x: number) => x, { settle: true, retryTiming: true });
    expect(record?.status).toBe('fulfilled');
    if (record?.status === 'fulfilled') {
      expect(record.value[0]).toBe(1);
      expect(typeof record.value[1]).toBe('number');
    }
  });

  it('bcall and the Params classes settle too', async () => {
    const batches: unknown[][] = [];
    for await (const batch of bcall([1, 2, 3], failOdd, { batchSize: 2, settle: true })) batches.push(batch);
    expect(batches.flat().map((r) => (r as { status: string }).status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    const a = await new ALCallParams({ settle: true }).run([1, 2], failOdd);
    expect(a).toHaveLength(2);
    const b: unknown[] = [];
    for await (const batch of new BCallParams({ batchSize: 1, settle: true }).run([1], failOdd)) b.push(...batch);
    expect(b).toMatchObject([{ status: 'rejected' }]);
  });
});
