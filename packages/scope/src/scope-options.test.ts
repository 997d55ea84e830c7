import { describe, expect, it, vi } from 'vitest';
import { CancelScope } from './cancel-scope.js';
import { failAfter } from './fail-after.js';
import { moveOnAfter } from './move-on-after.js';
import { sleep } from './sleep.js';
import { TaskGroup, taskGroup } from './task-group.js';

/** Every options object of @lf/scope, called with `options`. */
const calls: [string, (options: object) => unknown][] = [
  ['sleep', (o) => sleep(0, o)],
  ['CancelScope', (o) => new CancelScope(o)],
  ['TaskGroup', (o) => new TaskGroup(o)],
  ['taskGroup', (o) => taskGroup(() => undefined, o as never)],
  ['moveOnAfter', (o) => moveOnAfter(0, () => undefined, o as never)],
  ['failAfter', (o) => failAfter(0, () => undefined, o as never)],
];

describe('every @lf/scope options object is strict and read once', () => {
  it.each(calls)('%s: an unknown option is a TypeError naming it, with the close known name', (name, call) => {
    expect(() => call({ signl: new AbortController().signal })).toThrow(
      new TypeError(`${name}: unknown option 'signl' (did you mean 'signal'?)`),
    );
  });

  it.each(calls)('%s: a typo next to a valid key is still a TypeError', (name, call) => {
    expect(() => call({ signal: new AbortController().signal, sigal: 1 })).toThrow(`${name}: unknown option 'sigal'`);
  });

  it.each(calls)('%s: a getter on a class instance is honoured and called once', async (_name, call) => {
    const reason = new Error('from the getter');
    let reads = 0;
    class Options {
      get signal(): AbortSignal {
        reads++;
        return AbortSignal.abort(reason);
      }
    }
    const result = call(new Options());
    expect(reads).toBe(1);
    if (result instanceof CancelScope || result instanceof TaskGroup) {
      expect(result.signal.reason).toBe(reason); // the getter's parent was used
    } else {
      await expect(result).rejects.toBe(reason);
    }
  });

  it('CancelScope: changing the options object after construction changes nothing', async () => {
    vi.useFakeTimers();
    try {
      const options: { timeout: number; shield?: boolean } = { timeout: 10 };
      const scope = new CancelScope(options);
      options.timeout = 1;
      options.shield = true;
      expect(scope.shield).toBe(false);
      await vi.advanceTimersByTimeAsync(5);
      expect(scope.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(5);
      expect(scope.signal.aborted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('CancelScope reads inherited options (an options object made with Object.create)', () => {
    const scope = new CancelScope(Object.create({ shield: true }) as never);
    expect(scope.shield).toBe(true);
  });
});
