import { describe, expect, it } from 'vitest';
import { nextTask } from './next-task.js';

describe('nextTask', () => {
  it('calls back on a later task, after the current one and its microtasks', async () => {
    const order: string[] = [];
    const task = new Promise<void>((resolve) =>
      nextTask(() => {
        order.push('task');
        resolve();
      }),
    );
    void Promise.resolve().then(() => order.push('microtask'));
    order.push('sync');
    await task;
    expect(order).toEqual(['sync', 'microtask', 'task']);
  });

  it('a cancelled call never comes', async () => {
    let called = false;
    const cancel = nextTask(() => {
      called = true;
    });
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(called).toBe(false);
  });
});
