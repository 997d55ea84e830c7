import { maxConcurrent, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { peakConcurrency } from '../stats.js';
import { Timeline } from '../timeline.js';
import { track } from '../trace.js';

/** Seed: `@max_concurrent(3) async def process_item(item)` called for 8 items with `gather`. */
export const maxConcurrentExample: Example = {
  id: 'max-concurrent',
  title: 'maxConcurrent(3)',
  async run(report) {
    const tl = new Timeline();
    const label = (item: number) => `call ${item}`;
    // Uneven durations: a freed slot goes to the next waiting call at once.
    const processItem = maxConcurrent(3)((item: number) =>
      track(tl, label(item), async () => {
        await sleep(30 + (item % 3) * 25);
        return item * 2;
      }),
    );
    report.code(
      'const processItem = maxConcurrent(3)(async (item) => { await sleep(30 + (item % 3) * 25); return item * 2; });\n' +
        'await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(processItem));',
    );
    const items = [0, 1, 2, 3, 4, 5, 6, 7];
    const results = await Promise.all(
      items.map((item) => {
        tl.wait(label(item));
        return processItem(item);
      }),
    );
    items.forEach((item, i) => {
      tl.note(label(item), `-> ${show(results[i])}`);
    });
    const peak = peakConcurrency(tl.rows());
    report.result('results', results);
    report.result('peak concurrency', peak);
    report.expectEqual(results, [0, 2, 4, 6, 8, 10, 12, 14], 'results');
    report.check(peak === 3, `peak concurrency should be 3, was ${peak}`);
    report.timeline(tl);
  },
};
