import { describe, expect, it } from 'vitest';
import { progressBar } from './progress.js';
import { TimelineRecorder } from './timeline.js';
import type { Tally } from './timeline.js';

const EMPTY: Tally = { waiting: 0, running: 0, backoff: 0, succeeded: 0, failed: 0, defaulted: 0, cancelled: 0 };

describe('progressBar', () => {
  it('after Cancel the bar agrees with the counters: each fill is its counter over the total, nothing red when no lane failed', () => {
    // 30 items, 3 maxConcurrent: 12 done, 3 aborted mid-attempt, 15 never started.
    let t = 0;
    const rec = new TimelineRecorder(30, { maxAttempts: 1, defaulting: false, batchSize: 0, clock: () => t });
    for (let i = 0; i < 12; i++) {
      rec.attemptStart(i, 1);
      t += 10;
      rec.attemptEnd(i, 1, 'ok');
    }
    for (let i = 12; i < 15; i++) rec.attemptStart(i, 1);
    for (let i = 12; i < 15; i++) rec.attemptEnd(i, 1, 'cancelled', 'CancelledError');
    rec.finish();
    const tally = rec.tally();
    const bar = progressBar(tally);
    expect(bar.completed * bar.total).toBeCloseTo(tally.succeeded, 9);
    expect(bar.cancelled * bar.total).toBeCloseTo(tally.cancelled, 9);
    expect(bar.failed).toBe(0);
    expect(tally.cancelled).toBe(18);
    expect(bar.settled).toBe(30);
    expect(bar.text).toBe('30 / 30');
  });

  it('mid-run the bar covers the settled lanes only', () => {
    const bar = progressBar({ ...EMPTY, waiting: 5, running: 3, backoff: 2, succeeded: 6, failed: 1, defaulted: 3 });
    expect(bar.total).toBe(20);
    expect(bar.settled).toBe(10);
    expect(bar.completed + bar.defaulted + bar.failed + bar.cancelled).toBeCloseTo(0.5, 9);
    expect(bar.text).toBe('10 / 20');
  });

  it('an empty run draws an empty bar', () => {
    expect(progressBar(EMPTY)).toMatchObject({ completed: 0, failed: 0, settled: 0, total: 0, text: '0 / 0' });
  });
});
