import { alcall, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { peakConcurrency } from '../stats.js';
import { Timeline } from '../timeline.js';
import { traced } from '../trace.js';

/** Seed: `alcall(items, process_item, max_concurrent=2)` — three waves of two. */
export const alcallLimited: Example = {
  id: 'alcall-limited',
  title: 'alcall: limited (maxConcurrent: 2)',
  async run(report) {
    const items = [1, 2, 3, 4, 5];
    const tl = new Timeline();
    const label = (item: number) => `item ${item}`;
    const processItem = traced(tl, label, async (item: number, { signal }) => {
      await sleep(60, { signal });
      return item * 2;
    });
    report.code('await alcall([1, 2, 3, 4, 5], processItem, { maxConcurrent: 2 });  // processItem: 60 ms');
    for (const item of items) tl.wait(label(item));
    const results = await alcall(items, processItem, { maxConcurrent: 2 });
    items.forEach((item, i) => {
      tl.note(label(item), `-> ${show(results[i])}`);
    });
    report.result('results', results);
    const peak = peakConcurrency(tl.rows());
    report.result('peak concurrency', peak);
    report.expectEqual(results, [2, 4, 6, 8, 10], 'results');
    report.check(peak === 2, `peak concurrency should be 2, was ${peak}`);
    report.timeline(tl);
  },
};
