import { describe, expectTypeOf, it } from 'vitest';
import { Limiter, maxConcurrent, parallelMap, type LimitedFunction, type Release } from './index.js';
import { mapConcurrent } from './internal.js';

describe('types', () => {
  it("maxConcurrent(n)(fn) keeps fn's parameters and returns a promise of its awaited result", () => {
    const limited = maxConcurrent(3)(async (url: string, retries: number) => ({ url, retries }));
    expectTypeOf(limited).parameters.toEqualTypeOf<[string, number]>();
    expectTypeOf(limited).returns.toEqualTypeOf<Promise<{ url: string; retries: number }>>();
    expectTypeOf(limited.limiter).toEqualTypeOf<Limiter>();
    expectTypeOf(limited).toExtend<LimitedFunction<unknown, [string, number], { url: string; retries: number }>>();

    expectTypeOf(maxConcurrent(3).limiter).toEqualTypeOf<Limiter>();

    const sync = maxConcurrent(1)((x: number) => x * 2);
    expectTypeOf(sync).returns.toEqualTypeOf<Promise<number>>();

    // @ts-expect-error wrong argument type
    void limited(1, 2);
  });

  it('maxConcurrent keeps `this` typed', () => {
    const method = maxConcurrent(1)(function (this: { base: number }, x: number) {
      return this.base + x;
    });
    expectTypeOf(method).thisParameter.toEqualTypeOf<{ base: number }>();
  });

  it('decorates async methods, and a sync method is a type error', () => {
    class Service {
      @maxConcurrent(2)
      async get(id: number): Promise<string> {
        return String(id);
      }
    }
    expectTypeOf<Service['get']>().returns.toEqualTypeOf<Promise<string>>();

    class Wrong {
      // @ts-expect-error a decorator cannot turn a sync method async
      @maxConcurrent(2)
      get(id: number): string {
        return String(id);
      }
    }
    expectTypeOf(Wrong).toBeConstructibleWith();
  });

  it('parallelMap resolves R[] with R awaited, and infers items from (async) iterables', () => {
    expectTypeOf(parallelMap(async (x: number) => String(x), [1, 2])).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(parallelMap((x: number) => x > 1, new Set([1]))).toEqualTypeOf<Promise<boolean[]>>();
    async function* gen(): AsyncGenerator<Date> {
      yield new Date();
    }
    parallelMap((d, index, ctx) => {
      expectTypeOf(d).toEqualTypeOf<Date>();
      expectTypeOf(index).toEqualTypeOf<number>();
      expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
      return d.getTime();
    }, gen()).then(
      (r) => expectTypeOf(r).toEqualTypeOf<number[]>(),
      () => {},
    );
    expectTypeOf(mapConcurrent(['a'], async (s) => s.length, { concurrency: 2 })).toEqualTypeOf<Promise<number[]>>();
  });

  it('Limiter.run checks arguments against fn and awaits the result type', () => {
    const limiter = new Limiter(2);
    expectTypeOf(limiter.run(async (a: number, b: string) => a + b.length, 1, 'x')).toEqualTypeOf<Promise<number>>();
    // @ts-expect-error wrong argument type
    void limiter.run((a: number) => a, 'x');
    expectTypeOf(limiter.acquire()).toEqualTypeOf<Promise<Release>>();
    expectTypeOf(limiter.schedule(({ signal }) => signal)).toEqualTypeOf<Promise<AbortSignal | undefined>>();
  });
});
