import { describe, expect, it } from 'vitest';
import { TimelineRecorder } from './timeline.js';
import type { RecorderOptions } from './timeline.js';

/** A recorder on a hand-driven clock. */
function setup(total: number, options: Partial<RecorderOptions> = {}) {
  const clock = { t: 1000 };
  const rec = new TimelineRecorder(total, {
    maxAttempts: 3,
    defaulting: false,
    batchSize: 0,
    clock: () => clock.t,
    ...options,
  });
  const at = (ms: number) => {
    clock.t = 1000 + ms;
  };
  const kinds = (index: number) => rec.lanes[index]?.segments.map((s) => [s.kind, s.start, s.end]);
  return { rec, at, kinds };
}

describe('TimelineRecorder', () => {
  it('opens one waiting lane per item at time 0, numbered by batch', () => {
    const { rec, kinds } = setup(5, { batchSize: 2 });
    expect(rec.lanes.map((l) => [l.index, l.batch, l.state])).toEqual([
      [0, 0, 'waiting'],
      [1, 0, 'waiting'],
      [2, 1, 'waiting'],
      [3, 1, 'waiting'],
      [4, 2, 'waiting'],
    ]);
    expect(kinds(0)).toEqual([['waiting', 0, undefined]]);
  });

  it('a successful attempt closes the wait and turns the lane succeeded', () => {
    const { rec, at, kinds } = setup(1);
    at(30);
    rec.attemptStart(0, 1);
    expect(rec.active).toBe(1);
    expect(rec.lanes[0]?.state).toBe('running');
    at(80);
    rec.attemptEnd(0, 1, 'ok');
    expect(kinds(0)).toEqual([
      ['waiting', 0, 30],
      ['succeeded', 30, 80],
    ]);
    expect(rec.lanes[0]?.state).toBe('succeeded');
    expect(rec.active).toBe(0);
  });

  it('a failed attempt with retries left opens a backoff that the next attempt closes', () => {
    const { rec, at, kinds } = setup(1);
    rec.attemptStart(0, 1);
    at(10);
    rec.attemptEnd(0, 1, 'error');
    expect(rec.lanes[0]?.state).toBe('backoff');
    at(50);
    rec.attemptStart(0, 2);
    at(60);
    rec.attemptEnd(0, 2, 'ok');
    expect(kinds(0)).toEqual([
      ['waiting', 0, 0],
      ['failed', 0, 10],
      ['backoff', 10, 50],
      ['succeeded', 50, 60],
    ]);
    expect(rec.lanes[0]?.attempts).toBe(2);
  });

  it('the last failed attempt fails the lane, or defaults it when retryDefault is set', () => {
    for (const defaulting of [false, true]) {
      const { rec, at } = setup(1, { maxAttempts: 1, defaulting });
      rec.attemptStart(0, 1);
      at(5);
      rec.attemptEnd(0, 1, 'error');
      expect(rec.lanes[0]?.state).toBe(defaulting ? 'defaulted' : 'failed');
      expect(rec.lanes[0]?.segments.at(-1)?.kind).toBe(defaulting ? 'defaulted' : 'failed');
      expect(rec.lanes[0]?.segments).toHaveLength(2); // no backoff after the last attempt
    }
  });

  it('marks attempts failed by retryTimeout', () => {
    const { rec } = setup(1);
    rec.attemptStart(0, 1);
    rec.attemptEnd(0, 1, 'timeout');
    expect(rec.lanes[0]?.segments[1]).toMatchObject({ kind: 'failed', timedOut: true });
  });

  it('an attempt aborted by the signal cancels its lane', () => {
    const { rec } = setup(1);
    rec.attemptStart(0, 1);
    rec.attemptEnd(0, 1, 'cancelled', 'CancelledError');
    expect(rec.lanes[0]?.state).toBe('cancelled');
    expect(rec.lanes[0]?.segments[1]?.note).toContain('CancelledError');
  });

  it('ignores an end that does not match the open attempt', () => {
    const { rec } = setup(1);
    rec.attemptStart(0, 2);
    rec.attemptEnd(0, 1, 'ok');
    expect(rec.lanes[0]?.state).toBe('running');
    expect(rec.active).toBe(1);
  });

  it('finish ends the waits and backoffs still open with a cancelled cap, and freezes the clock', () => {
    const { rec, at, kinds } = setup(3);
    rec.attemptStart(0, 1);
    at(10);
    rec.attemptEnd(0, 1, 'ok');
    rec.attemptStart(1, 1);
    rec.attemptEnd(1, 1, 'error');
    at(40);
    rec.finish();
    expect(rec.tally()).toMatchObject({ succeeded: 1, cancelled: 2, waiting: 0, backoff: 0 });
    expect(kinds(1)?.slice(-2)).toEqual([
      ['backoff', 10, 40],
      ['cancelled', 40, 40],
    ]);
    expect(kinds(2)).toEqual([
      ['waiting', 0, 40],
      ['cancelled', 40, 40],
    ]);
    at(500);
    expect(rec.elapsed()).toBe(40);
  });

  it('leaves an attempt still running at finish open and counted (the call settled too early)', () => {
    const { rec, at } = setup(1);
    rec.attemptStart(0, 1);
    rec.finish();
    expect(rec.lanes[0]?.state).toBe('running');
    expect(rec.active).toBe(1);
    at(30);
    rec.attemptEnd(0, 1, 'ok');
    expect(rec.active).toBe(0);
  });

  it('counts attempts that start after finish (nothing may run after the call settles)', () => {
    const { rec } = setup(2);
    rec.finish();
    expect(rec.startsAfterFinish).toBe(0);
    rec.attemptStart(1, 1);
    expect(rec.startsAfterFinish).toBe(1);
  });

  it('peakConcurrency counts overlapping attempts; a slot handed over at the same instant is not an overlap', () => {
    const { rec, at } = setup(4);
    rec.attemptStart(0, 1);
    rec.attemptStart(1, 1);
    at(10);
    rec.attemptEnd(0, 1, 'ok');
    rec.attemptStart(2, 1);
    at(20);
    rec.attemptEnd(1, 1, 'error'); // backoff is not an attempt
    rec.attemptEnd(2, 1, 'ok');
    rec.attemptStart(3, 1);
    expect(rec.peakConcurrency()).toBe(2);
  });

  it('bumps its version on every event, so views can skip idle frames', () => {
    const { rec } = setup(1);
    const v0 = rec.version;
    rec.attemptStart(0, 1);
    rec.attemptEnd(0, 1, 'ok');
    rec.finish();
    expect(rec.version).toBe(v0 + 3);
  });
});
