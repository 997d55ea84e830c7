import { parallelMap, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { peakConcurrency } from '../stats.js';
import { Timeline } from '../timeline.js';
import { track } from '../trace.js';

/**
 * Seed: `parallel_map(process_item, items, max_concurrency=3)`, then the same
 * with one item failing: nothing new starts, the running siblings are
 * aborted, and parallelMap rejects with the first error once they settled.
 */
export const parallelMapExample: Example = {
  id: 'parallel-map',
  title: 'parallelMap (maxConcurrency 3)',
  async run(report) {
    const items = [1, 2, 3, 4, 5, 6, 7];
    const label = (item: number) => `item ${item}`;

    report.section('every item succeeds');
    const ok = new Timeline();
    report.code('await parallelMap(processItem, [1, 2, 3, 4, 5, 6, 7], 3);  // processItem: 50 ms');
    for (const item of items) ok.wait(label(item));
    const results = await parallelMap(
      (item, _index, { signal }) =>
        track(
          ok,
          label(item),
          async () => {
            await sleep(50, { signal });
            return item * 2;
          },
          signal,
        ),
      items,
      3,
    );
    items.forEach((item, i) => {
      ok.note(label(item), `-> ${show(results[i])}`);
    });
    report.result('results', results);
    report.expectEqual(results, [2, 4, 6, 8, 10, 12, 14], 'results');
    report.check(peakConcurrency(ok.rows()) === 3, 'peak concurrency should be 3');
    report.timeline(ok);

    report.section('item 4 fails after 20 ms');
    const failing = new Timeline();
    report.code('await parallelMap(processItem, [1, 2, 3, 4, 5, 6, 7], 3);  // 80 ms each, item 4 throws');
    for (const item of items) failing.wait(label(item));
    let error: unknown;
    try {
      await parallelMap(
        (item, _index, { signal }) =>
          track(
            failing,
            label(item),
            async () => {
              if (item === 4) {
                await sleep(20, { signal });
                throw new Error('item 4 broke');
              }
              await sleep(80, { signal });
              return item * 2;
            },
            signal,
          ),
        items,
        3,
      );
    } catch (caught) {
      error = caught;
    }
    const neverStarted = failing.cancelWaiting();
    for (const row of failing.rows()) {
      if (row.marks.some((mark) => mark.kind === 'cancel')) failing.note(row.label, 'cancelled');
    }
    failing.note('item 4', '-> item 4 broke');
    for (const item of [1, 2, 3]) failing.note(label(item), `-> ${item * 2} (finished before the failure)`);
    report.result('rejected with', error);
    report.result('never started', neverStarted);
    report.check(error instanceof Error && error.message === 'item 4 broke', 'rejects with the first error itself');
    const cancelled = failing.rows().filter((row) => row.marks.some((mark) => mark.kind === 'cancel')).length;
    report.check(cancelled >= 2, `the running siblings should be cancelled (${cancelled} rows cancelled)`);
    report.timeline(failing);
  },
};
