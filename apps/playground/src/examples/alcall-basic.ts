import { alcall, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { Timeline } from '../timeline.js';
import { traced } from '../trace.js';

/** Seed: `await alcall(items, process_item)` — every item at once, results in input order. */
export const alcallBasic: Example = {
  id: 'alcall-basic',
  title: 'alcall: basic',
  async run(report) {
    const items = [1, 2, 3, 4, 5];
    const tl = new Timeline();
    const label = (item: number) => `item ${item}`;
    // Later items finish first: the results still come back in input order.
    const processItem = traced(tl, label, async (item: number, { signal }) => {
      await sleep(100 - item * 10, { signal });
      return item * 2;
    });
    report.code(
      'const processItem = async (item) => { await sleep(100 - item * 10); return item * 2; };\n' +
        'await alcall([1, 2, 3, 4, 5], processItem);',
    );
    for (const item of items) tl.wait(label(item));
    const results = await alcall(items, processItem);
    items.forEach((item, i) => {
      tl.note(label(item), `-> ${show(results[i])}`);
    });
    report.result('results', results);
    report.expectEqual(results, [2, 4, 6, 8, 10], 'results');
    report.timeline(tl);
  },
};
