import { CancelledError } from '@lf/scope';
import { describe, expect, it, vi } from 'vitest';
import { promiseInto } from '../deferred.js';
import { MapRun, type Driver } from './run.js';

/** A run with one part live and a driver that records what the run asks of it. */
function open<R>(stopOnError: boolean, onSettled?: (index: number, error: unknown, failed: boolean) => void) {
  const run = new MapRun<number, R>((x) => x as R, stopOnError, onSettled);
  const promise = promiseInto<R[]>(run);
  const stops: unknown[] = [];
  const driver: Driver = { stop: (reason) => stops.push(reason), close: () => undefined };
  run.driver = driver;
  run.live = 1;
  return { run, promise, stops };
}

describe('the run core: one outcome', () => {
  it('under stopOnError the first failure is the outcome: the driver is stopped once, with a CancelledError caused by it', async () => {
    const { run, promise, stops } = open(true);
    const first = new Error('first');
    run.failed(run.claim(), first);
    run.failed(run.claim(), new Error('second'));
    run.sourceFailed(new Error('source'));
    run.abort(new Error('abort'));
    expect(run.stopped).toBe(true);
    expect(stops).toHaveLength(1);
    expect(stops[0]).toBeInstanceOf(CancelledError);
    expect((stops[0] as Error).cause).toBe(first);
    run.leave();
    await expect(promise).rejects.toBe(first);
  });

  it('with stopOnError false failures are kept, items in index order and the source last, out of every claimed item', async () => {
    const { run, promise, stops } = open(false);
    const errors = [new Error('0'), new Error('1'), new Error('2')];
    for (let k = 0; k < 4; k++) run.claim();
    const source = new Error('source');
    run.failed(2, errors[2]);
    run.sourceFailed(source);
    run.failed(0, errors[0]);
    expect(run.stopped).toBe(false);
    expect(stops).toHaveLength(0);
    run.leave();
    const error = (await promise.catch((e: unknown) => e)) as AggregateError;
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors).toEqual([errors[0], errors[2], source]);
    expect(error.message).toBe('3 of 4 items failed');
  });

  it('a stop replaces the failures kept so far: an abort rejects with its reason', async () => {
    const { run, promise, stops } = open(false);
    run.failed(run.claim(), new Error('kept'));
    const reason = new Error('outer');
    run.abort(reason);
    expect(stops).toEqual([reason]);
    run.leave();
    await expect(promise).rejects.toBe(reason);
  });

  it('what onSettled throws stops the run and is the outcome; it is still told of items settling after the stop', async () => {
    const oops = new Error('hook');
    const onSettled = vi.fn((index: number) => {
      if (index === 0) throw oops;
    });
    const { run, promise, stops } = open(false, onSettled);
    run.succeeded(run.claim());
    run.failed(run.claim(), new Error('late'));
    expect(onSettled).toHaveBeenCalledTimes(2);
    expect((stops[0] as Error).cause).toBe(oops);
    run.leave();
    await expect(promise).rejects.toBe(oops);
  });

  it('an abort after the run finished changes nothing; the last part to leave settles it once', async () => {
    const { run, promise, stops } = open<number>(true);
    run.live = 2;
    run.results = [1];
    run.leave();
    run.leave();
    run.abort(new Error('too late'));
    expect(stops).toHaveLength(0);
    await expect(promise).resolves.toEqual([1]);
  });
});
