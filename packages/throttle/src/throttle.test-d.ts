import { describe, expectTypeOf, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';
import { throttle } from './decorator.js';
import type { Throttled } from './decorator.js';
import type { Grant } from './limits.js';
import { Throttle } from './throttle.js';

describe('types', () => {
  it('wrap keeps the parameters and returns a Promise of the awaited result', () => {
    const limiter = new RateLimiter({ limit: 2, interval: 10 });
    const sync = limiter.wrap((a: number, b: string) => `${a}${b}`);
    expectTypeOf(sync).toEqualTypeOf<(a: number, b: string) => Promise<string>>();
    const async = new Throttle(10).wrap(async (id: number) => Promise.resolve({ id }));
    expectTypeOf(async).toEqualTypeOf<(id: number) => Promise<{ id: number }>>();
    const optional = limiter.wrap((a?: number, ...rest: boolean[]) => a ?? rest.length);
    expectTypeOf(optional).parameters.toEqualTypeOf<[a?: number, ...rest: boolean[]]>();
    expectTypeOf(optional).returns.toEqualTypeOf<Promise<number>>();
    // @ts-expect-error -- arguments are checked
    void sync('1', 'x');
  });

  it('call returns a Promise of the awaited result', () => {
    const throttle = new Throttle(10);
    expectTypeOf(throttle.call(() => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(throttle.call(async () => Promise.resolve('s'))).toEqualTypeOf<Promise<string>>();
    expectTypeOf(throttle.acquire()).toEqualTypeOf<Promise<Grant>>();
    expectTypeOf(throttle).toExtend<RateLimiter>();
  });

  it('throttle(period) as a higher-order function types like wrap', () => {
    const add = throttle(100)((a: number, b: number) => a + b);
    expectTypeOf(add).toEqualTypeOf<Throttled<(a: number, b: number) => number>>();
    expectTypeOf(add).parameters.toEqualTypeOf<[a: number, b: number]>();
    expectTypeOf(add).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(add.throttle).toEqualTypeOf<Throttle>();
    const fetchJson = throttle(100)(async (url: string): Promise<unknown> => Promise.resolve(url));
    expectTypeOf(fetchJson).parameters.toEqualTypeOf<[url: string]>();
    expectTypeOf(fetchJson).returns.toEqualTypeOf<Promise<unknown>>();
  });

  it('throttle(period) decorates methods that return a Promise', () => {
    class Client {
      prefix = '>';

      @throttle(100)
      async send(message: string): Promise<string> {
        return Promise.resolve(this.prefix + message);
      }

      @throttle(100)
      static async ping(): Promise<void> {
        return Promise.resolve();
      }
    }
    expectTypeOf<Client['send']>().toEqualTypeOf<(message: string) => Promise<string>>();
    expectTypeOf<(typeof Client)['ping']>().toEqualTypeOf<() => Promise<void>>();
  });

  it('throttle(period) refuses a sync method: its result would become a Promise', () => {
    class Counter {
      n = 0;

      // @ts-expect-error -- a sync method must be declared async to be throttled
      @throttle(100)
      next(): number {
        return ++this.n;
      }
    }
    expectTypeOf(new Counter().n).toBeNumber();
  });
});
