import { alcall, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { firstStarts, gaps, minStartGap } from '../stats.js';
import { Timeline } from '../timeline.js';
import { traced } from '../trace.js';

/** Seed: `alcall(items, process_item, throttle_period=0.2)` — starts spaced by the period. */
export const alcallThrottled: Example = {
  id: 'alcall-throttled',
  title: 'alcall: throttled (throttlePeriod: 50)',
  async run(report) {
    const items = [1, 2, 3, 4, 5];
    const tl = new Timeline();
    const label = (item: number) => `item ${item}`;
    const processItem = traced(tl, label, async (item: number, { signal }) => {
      await sleep(60, { signal });
      return item * 2;
    });
    report.code('await alcall([1, 2, 3, 4, 5], processItem, { throttlePeriod: 50 });  // processItem: 60 ms');
    for (const item of items) tl.wait(label(item));
    const results = await alcall(items, processItem, { throttlePeriod: 50 });
    items.forEach((item, i) => {
      tl.note(label(item), `-> ${show(results[i])}`);
    });
    const starts = firstStarts(tl.rows());
    report.result('results', results);
    report.result('starts (ms)', starts.map(Math.round));
    report.expectEqual(results, [2, 4, 6, 8, 10], 'results');
    report.check(
      gaps(starts).every((gap) => gap >= minStartGap(50)),
      `starts should be about 50 ms apart: ${show(starts)}`,
    );
    report.timeline(tl);
  },
};
