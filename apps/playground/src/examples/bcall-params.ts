import { BCallParams, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { Timeline, formatMs } from '../timeline.js';
import { traced } from '../trace.js';

/** Seed: `BCallParams(batch_size=5, max_concurrent=3, num_retries=2)` run on 12 items; item 7 fails once. */
export const bcallParamsExample: Example = {
  id: 'bcall-params',
  title: 'BCallParams: batchSize 5, maxConcurrent 3, numRetries 2',
  async run(report) {
    const items = Array.from({ length: 12 }, (_, i) => i);
    const tl = new Timeline();
    let item7Failed = false;
    const processItem = traced(
      tl,
      (item: number) => `item ${item}`,
      async (item: number, { signal }) => {
        await sleep(30, { signal });
        if (item === 7 && !item7Failed) {
          item7Failed = true;
          throw new Error('item 7 failed once');
        }
        return item * 2;
      },
    );
    const params = new BCallParams({ batchSize: 5, maxConcurrent: 3, numRetries: 2, retryDelay: 20 });
    report.code(
      'const params = new BCallParams({ batchSize: 5, maxConcurrent: 3, numRetries: 2, retryDelay: 20 });\n' +
        'for await (const batch of params.run(range(12), processItem)) console.log(batch);  // item 7 fails once',
    );
    for (const item of items) tl.wait(`item ${item}`);
    const batches: unknown[][] = [];
    for await (const batch of params.run(items, processItem)) {
      batches.push(batch);
      report.result(`batch ${batches.length} (at ${formatMs(tl.elapsed())})`, batch);
    }
    batches.flat().forEach((value, i) => {
      tl.note(`item ${items[i] ?? i}`, `-> ${show(value)}`);
    });
    report.expectEqual(
      batches,
      [
        [0, 2, 4, 6, 8],
        [10, 12, 14, 16, 18],
        [20, 22],
      ],
      'batches',
    );
    report.timeline(tl);
  },
};
