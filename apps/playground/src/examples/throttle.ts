import { sleep, throttle } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { firstStarts, gaps, minStartGap } from '../stats.js';
import { Timeline } from '../timeline.js';
import { track } from '../trace.js';

/**
 * Seed: `@throttle(1.0)` on an async and a sync function, each called 3 times.
 * The async one is called in a loop (each call awaited); the sync one is
 * called 3 times at once — it becomes async, and the calls queue for their slots.
 */
export const throttleExample: Example = {
  id: 'throttle',
  title: 'throttle(80): an async and a sync function',
  async run(report) {
    const tl = new Timeline();
    const asyncFunction = throttle(80)((n: number) =>
      track(tl, `async call ${n}`, async () => {
        await sleep(30);
        return 'async result';
      }),
    );
    const syncFunction = throttle(80)((n: number): string => {
      tl.run(`sync call ${n}`);
      tl.done(`sync call ${n}`);
      return 'sync result';
    });
    report.code(
      'const asyncFunction = throttle(80)(async () => { await sleep(30); return "async result"; });\n' +
        'const syncFunction = throttle(80)(() => "sync result");  // now returns a Promise\n' +
        'for (let n = 1; n <= 3; n++) await asyncFunction(n);\n' +
        'await Promise.all([1, 2, 3].map(syncFunction));',
    );
    const asyncResults: string[] = [];
    for (let n = 1; n <= 3; n++) {
      tl.wait(`async call ${n}`);
      asyncResults.push(await asyncFunction(n));
    }
    const syncResults = await Promise.all(
      [1, 2, 3].map((n) => {
        tl.wait(`sync call ${n}`);
        return syncFunction(n);
      }),
    );
    const starts = firstStarts(tl.rows());
    report.result('async results', asyncResults);
    report.result('sync results', syncResults);
    report.result('starts (ms)', starts.map(Math.round));
    report.expectEqual(
      [...asyncResults, ...syncResults],
      ['async result', 'async result', 'async result', 'sync result', 'sync result', 'sync result'],
      'results',
    );
    const spacing = [...gaps(starts.slice(0, 3)), ...gaps(starts.slice(3))];
    report.check(
      spacing.every((gap) => gap >= minStartGap(80)),
      `starts of each function should be about 80 ms apart: ${show(starts)}`,
    );
    report.timeline(tl);
  },
};
