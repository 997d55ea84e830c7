import { alcall, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { Timeline, formatMs } from '../timeline.js';
import { traced } from '../trace.js';

/** What each attempt of an item does: `ok` (60 ms), `fail` (throws after 60 ms), `hang` (never ends by itself). */
type Plan = readonly ('fail' | 'hang')[];

/**
 * Seed: `alcall(items, process_item, num_retries=3, retry_delay=0.1,
 * backoff_factor=2.0, retry_timing=True)`, made telling: item 2 fails once,
 * item 4 fails twice (its waits double: 30 then 60 ms), item 3 hangs on its
 * first attempt until `retryTimeout` cuts it.
 */
export const alcallRetries: Example = {
  id: 'alcall-retries',
  title: 'alcall: retries + timing',
  async run(report) {
    const items = [1, 2, 3, 4, 5];
    const plans = new Map<number, Plan>([
      [2, ['fail']],
      [3, ['hang']],
      [4, ['fail', 'fail']],
    ]);
    const tl = new Timeline();
    const label = (item: number) => `item ${item}`;
    const processItem = traced(tl, label, async (item: number, { signal, attempt }) => {
      const plan = plans.get(item)?.[attempt - 1];
      if (plan === 'hang') await sleep(10_000, { signal });
      await sleep(60, { signal });
      if (plan === 'fail') throw new Error(`item ${item} attempt ${attempt} failed`);
      return item * 2;
    });
    const retries: string[] = [];
    report.code(
      'await alcall([1, 2, 3, 4, 5], processItem, {\n' +
        '  numRetries: 3, retryDelay: 30, backoffFactor: 2, retryTimeout: 150, retryTiming: true,\n' +
        '});  // item 2 fails once, item 4 twice, item 3 hangs on its first attempt',
    );
    for (const item of items) tl.wait(label(item));
    const results = await alcall(items, processItem, {
      numRetries: 3,
      retryDelay: 30,
      backoffFactor: 2,
      retryTimeout: 150,
      retryTiming: true,
      onRetry: (error: unknown, attempt: number, delayMs: number) => {
        retries.push(`${show(error)} -> retry ${attempt} in ${delayMs}ms`);
      },
    });
    const pairs = results as [number, number][];
    items.forEach((item, i) => {
      const [value, elapsed] = pairs[i] ?? [];
      tl.note(label(item), `-> ${show(value)} in ${formatMs(elapsed ?? Number.NaN)}`);
    });
    report.result(
      'results',
      pairs.map(([value, elapsed]) => [value, `${Math.round(elapsed)}ms`]),
    );
    for (const line of retries) report.line(`onRetry: ${line}`);
    report.expectEqual(
      pairs.map(([value]) => value),
      [2, 4, 6, 8, 10],
      'values',
    );
    // item 4: 60 + 30 + 60 + 60 + 60 ms at least; item 3: 150 (timeout) + 30 + 60.
    report.check((pairs[3]?.[1] ?? 0) >= 250, `item 4 should take >= 250 ms, took ${show(pairs[3]?.[1])}`);
    report.check((pairs[2]?.[1] ?? 0) >= 220, `item 3 should take >= 220 ms, took ${show(pairs[2]?.[1])}`);
    report.check(retries.length === 4, `expected 4 retries, saw ${retries.length}`);
    report.timeline(tl);
  },
};
