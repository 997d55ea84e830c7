import { ALCallParams, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { Timeline } from '../timeline.js';
import { traced } from '../trace.js';

/**
 * Seed: one reusable `ALCallParams(max_concurrent=3, num_retries=2,
 * retry_delay=0.1, backoff_factor=2.0)` run on two inputs; here item 3 fails
 * once, and `with()` derives a sequential variant.
 */
export const alcallParamsExample: Example = {
  id: 'alcall-params',
  title: 'ALCallParams: one configuration, several runs',
  async run(report) {
    const tl = new Timeline();
    let run = 0;
    const failedOnce = new Set<string>();
    const processItem = traced(
      tl,
      (item: number) => `run ${run} item ${item}`,
      async (item: number, { signal }) => {
        await sleep(40, { signal });
        const key = `${run}:${item}`;
        if (item === 3 && !failedOnce.has(key)) {
          failedOnce.add(key);
          throw new Error('item 3 failed once');
        }
        return item * 2;
      },
    );
    const params = new ALCallParams({ maxConcurrent: 3, numRetries: 2, retryDelay: 20, backoffFactor: 2 });
    report.code(
      'const params = new ALCallParams({ maxConcurrent: 3, numRetries: 2, retryDelay: 20, backoffFactor: 2 });\n' +
        'await params.run([1, 2, 3, 4, 5], processItem);   // item 3 fails once\n' +
        'await params.run([10, 20, 30], processItem);\n' +
        'await params.with({ maxConcurrent: 1 }).run([10, 20, 30], processItem);',
    );
    const json = params.toJSON();
    report.result('params', {
      maxConcurrent: json.maxConcurrent,
      numRetries: json.numRetries,
      retryDelay: json.retryDelay,
      backoffFactor: json.backoffFactor,
    });

    const runs: [ALCallParams, number[], number[]][] = [
      [params, [1, 2, 3, 4, 5], [2, 4, 6, 8, 10]],
      [params, [10, 20, 30], [20, 40, 60]],
      [params.with({ maxConcurrent: 1 }), [10, 20, 30], [20, 40, 60]],
    ];
    for (const [config, items, expected] of runs) {
      run++;
      for (const item of items) tl.wait(`run ${run} item ${item}`);
      const results = await config.run(items, processItem);
      items.forEach((item, i) => {
        tl.note(`run ${run} item ${item}`, `-> ${show(results[i])}`);
      });
      report.result(`results ${run}`, results);
      report.expectEqual(results, expected, `results ${run}`);
    }
    report.timeline(tl);
  },
};
