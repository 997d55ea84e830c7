import { sleep, taskGroup } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { Timeline, formatMs } from '../timeline.js';
import { track } from '../trace.js';

/**
 * Seed: `async with TaskGroup() as tg: tg.start_soon(task, "A", 1.0) ...` —
 * the group waits for every child. Then the structured-concurrency part the
 * seed leaves out: when one child fails, its siblings are cancelled and the
 * group rejects with an AggregateError listing the real failure.
 */
export const taskGroupExample: Example = {
  id: 'task-group',
  title: 'TaskGroup',
  async run(report) {
    report.section('every task completes');
    const ok = new Timeline();
    const order: string[] = [];
    const task = (tl: Timeline, name: string, ms: number, signal: AbortSignal) =>
      track(
        tl,
        `task ${name}`,
        async () => {
          await sleep(ms, { signal });
          order.push(name);
          tl.note(`task ${name}`, `completed after ${ms}ms`);
        },
        signal,
      );
    report.code(
      'await taskGroup(async (tg) => {\n' +
        '  tg.startSoon(task, "A", 100, tg.signal);\n' +
        '  tg.startSoon(task, "B", 50, tg.signal);\n' +
        '  tg.startSoon(task, "C", 200, tg.signal);\n' +
        '});  // waits for all three',
    );
    await taskGroup((tg) => {
      tg.startSoon(task, ok, 'A', 100, tg.signal);
      tg.startSoon(task, ok, 'B', 50, tg.signal);
      tg.startSoon(task, ok, 'C', 200, tg.signal);
    });
    report.result('completion order', order);
    report.line(`the group settled after ${formatMs(ok.elapsed())}`);
    report.expectEqual(order, ['B', 'A', 'C'], 'completion order');
    report.timeline(ok);

    report.section('task B fails: its siblings are cancelled');
    const failing = new Timeline();
    const broken = (name: string, ms: number, signal: AbortSignal) =>
      track(
        failing,
        `task ${name}`,
        async () => {
          await sleep(ms, { signal });
          throw new Error(`task ${name} failed`);
        },
        signal,
      );
    report.code(
      'await taskGroup(async (tg) => {\n' +
        '  tg.startSoon(task, "A", 60, tg.signal);\n' +
        '  tg.startSoon(broken, "B", 80, tg.signal);   // throws after 80 ms\n' +
        '  tg.startSoon(task, "C", 300, tg.signal);\n' +
        '  tg.startSoon(task, "D", 250, tg.signal);\n' +
        '});',
    );
    let error: unknown;
    try {
      await taskGroup((tg) => {
        tg.startSoon(task, failing, 'A', 60, tg.signal);
        tg.startSoon(broken, 'B', 80, tg.signal);
        tg.startSoon(task, failing, 'C', 300, tg.signal);
        tg.startSoon(task, failing, 'D', 250, tg.signal);
      });
    } catch (caught) {
      error = caught;
    }
    const elapsed = failing.elapsed();
    failing.note('task B', '-> Error: task B failed');
    failing.note('task C', 'cancelled');
    failing.note('task D', 'cancelled');
    report.result('rejected with', error);
    report.line(`the group settled after ${formatMs(elapsed)} (C and D would have needed 300 / 250 ms)`);
    report.check(
      error instanceof AggregateError && error.errors.length === 1 && show(error.errors[0]) === 'Error: task B failed',
      'the group rejects with an AggregateError listing only the real failure',
    );
    report.check(elapsed < 250, 'the siblings were cancelled, not awaited to completion');
    report.timeline(failing);
  },
};
