import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.js';
import { maxConcurrent } from './max-concurrent.js';
import { deferred, flush, gauge } from '@lf/test-support';

describe('maxConcurrent as a higher-order function', () => {
  it('never more than limit running, all calls sharing one Limiter', async () => {
    const g = gauge();
    const limited = maxConcurrent(2)(async (x: number) => {
      g.enter();
      await flush(3);
      g.leave();
      return x + 1;
    });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((x) => limited(x)));
    expect(results).toEqual([2, 3, 4, 5, 6, 7]);
    expect(g.max).toBe(2);
    expect(limited.limiter).toBeInstanceOf(Limiter);
    expect(limited.limiter.limit).toBe(2);
  });

  it('passes `this` and every argument through', async () => {
    const target = {
      base: 10,
      add: maxConcurrent(1)(function (this: { base: number }, a: number, b: number) {
        return this.base + a + b;
      }),
    };
    expect(await target.add(1, 2)).toBe(13);
  });

  it('a sync function becomes async; its throw becomes a rejection', async () => {
    const boom = new Error('boom');
    const double = maxConcurrent(1)((x: number) => x * 2);
    const fail = maxConcurrent(1)(() => {
      throw boom;
    });
    const result = double(4);
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(8);
    await expect(fail()).rejects.toBe(boom);
    expect(fail.limiter.activeCount).toBe(0);
  });

  it('one limiter per maxConcurrent(limit) call, shared by every function it wraps and exposed on the factory and on each', async () => {
    // v2: the same rule as throttle (v1 made one limiter per wrapped function).
    const limit1 = maxConcurrent(1);
    const gate = deferred();
    const a = limit1(() => gate.promise);
    const b = limit1(() => 'b');
    expect(a.limiter).toBe(b.limiter);
    expect(limit1.limiter).toBe(a.limiter);
    const first = a();
    const second = b();
    expect(limit1.limiter.activeCount).toBe(1);
    expect(limit1.limiter.pendingCount).toBe(1); // b waits for a
    gate.resolve();
    await first;
    expect(await second).toBe('b');
    expect(maxConcurrent(1).limiter).not.toBe(limit1.limiter); // another call, another limiter
  });

  it('the limiter on maxConcurrent(n)(fn) has priority, pause/resume, onEmpty and onSizeLessThan', async () => {
    const order: string[] = [];
    const limited = maxConcurrent(1)(async (name: string) => void order.push(name));
    const { limiter } = limited;
    limiter.pause();
    const calls = [limited('a'), limited('b')];
    const urgent = limiter.schedule(() => void order.push('urgent'), { priority: 1 });
    expect(limiter.pendingCount).toBe(3);
    const below2 = limiter.onSizeLessThan(2);
    const empty = limiter.onEmpty();
    limiter.resume();
    await Promise.all([...calls, urgent, below2, empty]);
    expect(order).toEqual(['urgent', 'a', 'b']);
  });

  it('keeps the function name', () => {
    async function fetchPage(): Promise<void> {}
    expect(maxConcurrent(1)(fetchPage).name).toBe('fetchPage');
  });

  it('validates the limit when called, before anything is decorated', () => {
    expect(() => maxConcurrent(0)).toThrow(RangeError);
    expect(() => maxConcurrent(2.5)).toThrow(/limit/);
    expect(() => maxConcurrent('3' as unknown as number)).toThrow(TypeError);
    expect(() => maxConcurrent(Infinity)).not.toThrow();
    expect(() => maxConcurrent(2)(5 as unknown as () => void)).toThrow(TypeError);
  });
});

describe('maxConcurrent as a standard method decorator', () => {
  class Crawler {
    static g = gauge();
    readonly prefix: string;
    constructor(prefix: string) {
      this.prefix = prefix;
    }

    @maxConcurrent(2)
    async visit(url: string): Promise<string> {
      Crawler.g.enter();
      await flush(3);
      Crawler.g.leave();
      return `${this.prefix}${url}`;
    }

    @maxConcurrent(1)
    static async ping(): Promise<string> {
      await flush(1);
      return 'pong';
    }

    @maxConcurrent(1)
    async #secret(): Promise<string> {
      await flush(1);
      return this.prefix;
    }

    callSecret(): Promise<string> {
      return this.#secret();
    }
  }

  it('limits a method and keeps `this`', async () => {
    Crawler.g = gauge();
    const crawler = new Crawler('https://');
    const pages = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((u) => crawler.visit(u)));
    expect(pages).toEqual(['https://a', 'https://b', 'https://c', 'https://d', 'https://e']);
    expect(Crawler.g.max).toBe(2);
  });

  it('shares one limiter between all instances (one per method, like Python)', async () => {
    Crawler.g = gauge();
    const a = new Crawler('a:');
    const b = new Crawler('b:');
    const pages = await Promise.all([a.visit('1'), b.visit('1'), a.visit('2'), b.visit('2')]);
    expect(pages).toEqual(['a:1', 'b:1', 'a:2', 'b:2']);
    expect(Crawler.g.max).toBe(2);
  });

  it('a shared factory limits every method it decorates together, and the decorated method exposes the limiter', async () => {
    const shared = maxConcurrent(1);
    const g = gauge();
    class Api {
      @shared
      async read(): Promise<string> {
        g.enter();
        await flush(3);
        g.leave();
        return 'read';
      }

      @shared
      async write(): Promise<string> {
        g.enter();
        await flush(3);
        g.leave();
        return 'write';
      }
    }
    const api = new Api();
    expect(await Promise.all([api.read(), api.write(), api.read()])).toEqual(['read', 'write', 'read']);
    expect(g.max).toBe(1);
    expect((api.read as unknown as { limiter: Limiter }).limiter).toBe(shared.limiter);
  });

  it('works on static and private methods', async () => {
    expect(await Crawler.ping()).toBe('pong');
    expect(await new Crawler('p').callSecret()).toBe('p');
  });

  it('refuses anything but a method', () => {
    expect(() => {
      class Bad {
        // @ts-expect-error a getter is not a method
        @maxConcurrent(1)
        get value(): number {
          return Date.now();
        }
      }
      return Bad;
    }).toThrow(/maxConcurrent decorates methods only \(got a getter/);
  });
});
