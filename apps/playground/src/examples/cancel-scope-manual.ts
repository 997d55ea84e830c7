import { CancelScope, sleep } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { Timeline, formatMs } from '../timeline.js';
import { track } from '../trace.js';

/**
 * Seed: inside `async with CancelScope() as scope`, start a long task, sleep
 * 1 s, `scope.cancel()`, then await the task and catch its cancellation.
 * Here with 100 ms, and a short sibling task that finishes before the cancel.
 */
export const cancelScopeManual: Example = {
  id: 'cancel-scope-manual',
  title: 'CancelScope: manual cancel',
  async run(report) {
    const tl = new Timeline();
    const longRunningTask = (label: string, ms: number, signal: AbortSignal) => track(tl, label, () => sleep(ms, { signal }), signal);
    report.code(
      'await new CancelScope().run(async (scope) => {\n' +
        '  const task = longRunningTask(10_000, scope.signal);\n' +
        '  await sleep(100);\n' +
        '  scope.cancel();\n' +
        '  try { await task; } catch (error) { console.log("Task was cancelled", error); }\n' +
        '});',
    );
    const scope = new CancelScope();
    let seen: unknown;
    let cancelledAt = 0;
    await scope.run(async (s) => {
      const task = longRunningTask('long task', 10_000, s.signal);
      const sibling = longRunningTask('short sibling', 40, s.signal);
      await sleep(100);
      cancelledAt = tl.elapsed();
      s.cancel();
      await sibling;
      try {
        await task;
      } catch (error) {
        seen = error;
      }
    });
    tl.note('long task', `-> ${show(seen)}`);
    tl.note('short sibling', '-> finished before the cancel');
    report.result('Task was cancelled', seen);
    report.result('cancelCalled', scope.cancelCalled);
    report.line(`cancelled at ${formatMs(cancelledAt)}, scope settled at ${formatMs(tl.elapsed())}`);
    report.check(seen instanceof Error && seen.name === 'CancelledError', 'the task sees a CancelledError');
    report.check(scope.cancelCalled, 'cancelCalled is true');
    report.timeline(tl);
  },
};
