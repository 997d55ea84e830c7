import { describe, expectTypeOf, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';
import { throttle } from './decorator.js';
import type { Throttled } from './decorator.js';
import type { Cost, Grant, RateLimit } from './limits.js';
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

  it('options with a typo do not compile, next to valid keys too', () => {
    // @ts-expect-error -- 'intervl' is not an option
    const _typo = new RateLimiter({ limit: 1, intervl: 10 });
    // @ts-expect-error -- 'limt' in a named limit
    const _nestedTypo = new RateLimiter({ limits: { a: { limt: 1, interval: 10 } } });
    const limiter = new RateLimiter({ limits: { requests: { limit: 5, interval: 10 }, tokens: { limit: 100, interval: 10 } } });
    // @ts-expect-error -- 'cots' is not an acquire option
    void limiter.acquire({ signal: undefined, cots: 1 });
    // @ts-expect-error -- 'costs' is not a wrap option
    void limiter.wrap((n: number) => n, { costs: () => 1 });
    void limiter.acquire({ cost: { tokens: 3 } });
    void limiter.call(() => 1, { cost: 2 });
    const wrapped = limiter.wrap((prompt: string, n: number) => prompt.repeat(n), { cost: (prompt, n) => ({ tokens: prompt.length * n }) });
    expectTypeOf(wrapped).toEqualTypeOf<(prompt: string, n: number) => Promise<string>>();
    // @ts-expect-error -- the cost function gets the wrapped function's parameters
    void limiter.wrap((n: number) => n, { cost: (s: string) => s.length });
  });

  it('a Grant has its release time and settle', async () => {
    const grant = await new RateLimiter({ limit: 1, interval: 10 }).acquire();
    expectTypeOf(grant.at).toBeNumber();
    expectTypeOf<Grant['settle']>().parameters.toEqualTypeOf<[cost: Cost]>();
    expectTypeOf<Cost>().toEqualTypeOf<number | Readonly<Record<string, number>>>();
    expectTypeOf<RateLimit>().toEqualTypeOf<{ limit: number; interval: number }>();
  });
});
