import { describe, expectTypeOf, it } from 'vitest';
import {
  CancelScope,
  sleep,
  TaskGroup,
  failAfter,
  moveOnAfter,
  taskGroup,
  type CancelScopeOptions,
  type TaskGroupOptions,
} from './index.js';

describe('types', () => {
  it('run returns Promise<T | undefined>', () => {
    const scope = new CancelScope();
    expectTypeOf(scope.run(() => 1)).toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(scope.run(async () => 'x')).toEqualTypeOf<Promise<string | undefined>>();
    expectTypeOf<CancelScope['run']>().parameter(0).parameter(0).toEqualTypeOf<CancelScope>();
  });

  it('moveOnAfter returns Promise<T | undefined>, failAfter returns Promise<T>', () => {
    expectTypeOf(moveOnAfter(10, async () => 1)).toEqualTypeOf<Promise<number | undefined>>();
    expectTypeOf(failAfter(10, async () => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(failAfter(10, () => 'sync', { signal: new AbortController().signal })).toEqualTypeOf<Promise<string>>();
  });

  it('taskGroup returns Promise<T> of the body', () => {
    expectTypeOf(taskGroup(async () => ({ ok: true }))).toEqualTypeOf<Promise<{ ok: boolean }>>();
    expectTypeOf(taskGroup).parameter(1).toEqualTypeOf<TaskGroupOptions | undefined>();
  });

  it('startSoon checks argument types against fn', () => {
    const tg = new TaskGroup();
    tg.startSoon((a: number, b: string) => a + b.length, 1, 'two');
    tg.startSoon(async () => undefined);
    // @ts-expect-error wrong argument type
    tg.startSoon((a: number) => a, 'one');
    // @ts-expect-error missing argument
    tg.startSoon((a: number, b: string) => a + b.length, 1);
    // @ts-expect-error extra argument
    tg.startSoon(() => 1, 1);
    expectTypeOf<TaskGroup['startSoon']>().returns.toBeVoid();
  });

  it('scopes and groups are disposable, readonly signal, settable deadline and shield', () => {
    expectTypeOf<CancelScope>().toExtend<Disposable>();
    expectTypeOf<TaskGroup>().toExtend<AsyncDisposable>();
    expectTypeOf<CancelScope['signal']>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<CancelScope['deadline']>().toEqualTypeOf<number>();
    expectTypeOf<CancelScope['shield']>().toEqualTypeOf<boolean>();
    expectTypeOf<TaskGroup['cancelScope']>().toEqualTypeOf<CancelScope>();
    expectTypeOf<CancelScopeOptions>().toExtend<{ timeout?: number; deadline?: number; shield?: boolean; signal?: AbortSignal }>();
    const scope = new CancelScope();
    // @ts-expect-error signal is readonly
    scope.signal = new AbortController().signal;
    // @ts-expect-error cancelledCaught is read-only
    scope.cancelledCaught = true;
  });

  it('an options literal with a typo next to valid keys does not compile', () => {
    const signal = new AbortController().signal;
    // @ts-expect-error signl is not an option of sleep
    void sleep(1, { signal, signl: signal });
    // @ts-expect-error timout is not an option of CancelScope
    new CancelScope({ timeout: 5, timout: 5 });
    // @ts-expect-error sheild is not an option of CancelScope
    new CancelScope({ signal, shield: true, sheild: true });
    // @ts-expect-error timeout is not an option of TaskGroup
    new TaskGroup({ signal, timeout: 5 });
    // @ts-expect-error signl is not an option of taskGroup
    void taskGroup(() => 1, { signal, signl: signal });
    // @ts-expect-error timeout is not an option of moveOnAfter
    void moveOnAfter(10, () => 1, { signal, timeout: 5 });
    // @ts-expect-error deadline is not an option of failAfter
    void failAfter(10, () => 1, { signal, deadline: 5 });
    // the valid keys alone compile
    void sleep(1, { signal });
    new CancelScope({ timeout: 5, deadline: 10, shield: false, signal });
    void failAfter(10, () => 1, { signal });
  });
});
