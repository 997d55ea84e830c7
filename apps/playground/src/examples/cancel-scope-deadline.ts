import { CancelScope, failAfter, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { Timeline, formatMs } from '../timeline.js';
import { track } from '../trace.js';

/**
 * Seed: `async with CancelScope(deadline=2.0): await long_running_task()`.
 * Three at once: a 10 s task under a 150 ms scope (run() resolves undefined),
 * a 50 ms task under the same kind of scope (finishes), and failAfter(100)
 * (rejects with a TimeoutError, Python's "caught deadline cancellation").
 */
export const cancelScopeDeadline: Example = {
  id: 'cancel-scope-deadline',
  title: 'CancelScope: deadline',
  async run(report) {
    const tl = new Timeline();
    const task = (label: string, ms: number, signal: AbortSignal) =>
      track(
        tl,
        label,
        async () => {
          await sleep(ms, { signal });
          return `${label} completed`;
        },
        signal,
      );
    report.code(
      'const slow = new CancelScope({ timeout: 150 });\n' +
        'await slow.run((scope) => longRunningTask(10_000, scope.signal));   // undefined\n' +
        'await new CancelScope({ timeout: 150 }).run((scope) => longRunningTask(50, scope.signal));\n' +
        'await failAfter(100, (scope) => longRunningTask(10_000, scope.signal));  // throws TimeoutError',
    );
    const slow = new CancelScope({ timeout: 150 });
    const quick = new CancelScope({ timeout: 150 });
    const [slowResult, quickResult, failAfterOutcome] = await Promise.all([
      slow.run((scope) => task('slow task', 10_000, scope.signal)),
      quick.run((scope) => task('quick task', 50, scope.signal)),
      failAfter(100, (scope) => task('failAfter', 10_000, scope.signal)).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    ]);
    const elapsed = tl.elapsed();
    tl.note('slow task', `run() -> ${show(slowResult)}, cancelledCaught ${slow.cancelledCaught}`);
    tl.note('quick task', `run() -> ${show(quickResult)}`);
    const caught = 'error' in failAfterOutcome ? failAfterOutcome.error : undefined;
    tl.note('failAfter', `rejected: ${show(caught)}`);
    report.result('slow task', { result: slowResult, cancelledCaught: slow.cancelledCaught });
    report.result('quick task', { result: quickResult, cancelledCaught: quick.cancelledCaught });
    report.result('failAfter', caught);
    report.line(`all settled after ${formatMs(elapsed)} (the 10 s tasks were cut)`);
    report.check(slowResult === undefined && slow.cancelledCaught, 'the slow scope resolves undefined and caught its cancellation');
    report.check(quickResult === 'quick task completed' && !quick.cancelledCaught, 'the quick scope completes');
    report.check(caught instanceof Error && caught.name === 'TimeoutError', 'failAfter rejects with a TimeoutError');
    report.check(elapsed < 2_000, 'the deadline cuts the 10 s tasks');
    report.timeline(tl);
  },
};
