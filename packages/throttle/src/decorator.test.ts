import { now } from '@lf/scope';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '@lf/test-support';
import { throttle } from './decorator.js';
import { Throttle } from './throttle.js';

describe('throttle', () => {
  useFakeClock();

  it('as a higher-order function spaces the starts of calls by the period', async () => {
    const t0 = now();
    const starts: number[] = [];
    const ping = throttle(100)(async (host: string) => {
      starts.push(now() - t0);
      return `pong ${host}`;
    });
    const all = [ping('a'), ping('b'), ping('c')];
    await vi.advanceTimersByTimeAsync(200);
    expect(await Promise.all(all)).toEqual(['pong a', 'pong b', 'pong c']);
    expect(starts).toEqual([0, 100, 200]);
  });

  it('a throttled sync function becomes async', async () => {
    const fn = vi.fn((a: number, b: number) => a + b);
    const add = throttle(10)(fn);
    const result = add(1, 2);
    expect(result).toBeInstanceOf(Promise);
    expect(fn).not.toHaveBeenCalled();
    expect(await result).toBe(3);
  });

  it('as a standard method decorator preserves this and the arguments', async () => {
    class Client {
      sent: string[] = [];
      constructor(readonly name: string) {}

      @throttle(50)
      async send(message: string, times: number): Promise<string> {
        this.sent.push(message.repeat(times));
        return Promise.resolve(`${this.name}:${message}`);
      }
    }
    const client = new Client('c1');
    const first = client.send('x', 2);
    const second = client.send('y', 1);
    await vi.advanceTimersByTimeAsync(50);
    expect(await Promise.all([first, second])).toEqual(['c1:x', 'c1:y']);
    expect(client.sent).toEqual(['xx', 'y']);
  });

  it('one throttle(period) is shared by every instance of the decorated class', async () => {
    const t0 = now();
    const starts: [string, number][] = [];
    class Worker {
      constructor(readonly id: string) {}

      @throttle(100)
      async run(): Promise<void> {
        starts.push([this.id, now() - t0]);
        return Promise.resolve();
      }
    }
    const a = new Worker('a');
    const b = new Worker('b');
    const all = [a.run(), b.run(), a.run()];
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(all);
    expect(starts).toEqual([
      ['a', 0],
      ['b', 100],
      ['a', 200],
    ]);
  });

  it('each decorated method has its own schedule, and static methods work too', async () => {
    const t0 = now();
    const starts: string[] = [];
    class Api {
      @throttle(100)
      static async list(): Promise<string> {
        starts.push(`list@${now() - t0}`);
        return Promise.resolve(this.name);
      }

      @throttle(100)
      async get(): Promise<void> {
        starts.push(`get@${now() - t0}`);
        return Promise.resolve();
      }
    }
    const api = new Api();
    const all = [Api.list(), Api.list(), api.get()];
    await vi.advanceTimersByTimeAsync(100);
    const [name] = await Promise.all(all);
    expect(name).toBe('Api'); // `this` is the class for a static method
    expect(starts).toEqual(['list@0', 'get@0', 'list@100']);
  });

  it('decorates private methods', async () => {
    class Box {
      value = 7;

      @throttle(10)
      async #read(): Promise<number> {
        return Promise.resolve(this.value);
      }

      read(): Promise<number> {
        return this.#read();
      }
    }
    const box = new Box();
    const all = [box.read(), box.read()];
    await vi.advanceTimersByTimeAsync(10);
    expect(await Promise.all(all)).toEqual([7, 7]);
  });

  it('exposes the shared Throttle, whose calls share the schedule', async () => {
    const decorate = throttle(100);
    expect(decorate.throttle).toBeInstanceOf(Throttle);
    expect(decorate.throttle.period).toBe(100);
    const t0 = now();
    const starts: number[] = [];
    const f = decorate(() => starts.push(now() - t0));
    const g = decorate(() => starts.push(now() - t0));
    const all = [f(), g(), decorate.throttle.call(() => starts.push(now() - t0))];
    expect(decorate.throttle.pendingCount).toBe(2);
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(all);
    expect(starts).toEqual([0, 100, 200]);
  });

  it('one Throttle per throttle(period) call, exposed as .throttle on the factory and on every function it wrapped', async () => {
    const decorate = throttle(100);
    const f = decorate(async () => Promise.resolve('f'));
    const g = decorate(() => 'g');
    expect(f.throttle).toBe(decorate.throttle);
    expect(g.throttle).toBe(decorate.throttle);
    const t0 = now();
    const starts: string[] = [];
    const all = [f().then((v) => starts.push(`${v}@${now() - t0}`)), g().then((v) => starts.push(`${v}@${now() - t0}`))];
    expect(f.throttle.pendingCount).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(all);
    expect(starts).toEqual(['f@0', 'g@100']);
    expect(throttle(100).throttle).not.toBe(decorate.throttle); // another factory call, another Throttle
  });

  it('refuses to decorate anything but a method', () => {
    const context = { kind: 'field', name: 'x', static: false, private: false } as unknown;
    expect(() => (throttle(10) as (value: unknown, context: unknown) => unknown)(undefined, context)).toThrow(TypeError);
    expect(() => (throttle(10) as (value: unknown, context: unknown) => unknown)(undefined, context)).toThrow(/methods only/);
  });

  it.each([
    [-1, RangeError],
    [0, RangeError],
    [Number.NaN, RangeError],
    [Infinity, RangeError],
    ['1', TypeError],
  ])('throttle(%s) throws %s naming period', (period, type) => {
    expect(() => throttle(period as number)).toThrow(type);
    expect(() => throttle(period as number)).toThrow(/period/);
  });

  it('throws a TypeError naming fn when given something else than a function', () => {
    expect(() => throttle(10)(42 as never)).toThrow(TypeError);
    expect(() => throttle(10)(42 as never)).toThrow(/fn/);
  });
});
