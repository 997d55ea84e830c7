import { bcall, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { Timeline, formatMs } from '../timeline.js';
import { traced } from '../trace.js';

/** Seed: `async for batch in bcall(items, process_item, batch_size=5, max_concurrent=2)`. */
export const bcallExample: Example = {
  id: 'bcall',
  title: 'bcall: batches of 4, maxConcurrent 2',
  async run(report) {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const tl = new Timeline();
    const label = (item: number) => `item ${item}`;
    const processItem = traced(tl, label, async (item: number, { signal }) => {
      await sleep(40, { signal });
      return item * 2;
    });
    report.code(
      'for await (const batch of bcall(range(10), processItem, { batchSize: 4, maxConcurrent: 2 })) {\n' +
        '  console.log(batch);\n' +
        '}  // processItem: 40 ms',
    );
    for (const item of items) tl.wait(label(item));
    const batches: unknown[][] = [];
    for await (const batch of bcall(items, processItem, { batchSize: 4, maxConcurrent: 2 })) {
      batches.push(batch);
      report.result(`batch ${batches.length} (at ${formatMs(tl.elapsed())})`, batch);
    }
    batches.flat().forEach((value, i) => {
      tl.note(`item ${items[i] ?? i}`, `-> ${show(value)}`);
    });
    report.expectEqual(
      batches,
      [
        [0, 2, 4, 6],
        [8, 10, 12, 14],
        [16, 18],
      ],
      'batches',
    );
    report.timeline(tl);
  },
};
