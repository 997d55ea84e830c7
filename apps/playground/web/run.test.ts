import { describe, expect, it } from 'vitest';
import { snippet } from './form.js';
import { callOptions, checkResults, DEFAULT_SETTINGS, startRun } from './run.js';
import type { Settings } from './run.js';
import { TimelineRecorder } from './timeline.js';

const quiet: Settings = {
  ...DEFAULT_SETTINGS,
  items: 6,
  latencyMin: 1,
  latencyMax: 5,
  failureRate: 0,
  maxConcurrent: 2,
  throttlePeriod: 0,
  numRetries: 0,
  retryTimeout: 0,
  retryDefault: false,
};

describe('callOptions', () => {
  it('leaves unset options out, so they cost nothing', () => {
    expect(callOptions(quiet)).toEqual({ maxConcurrent: 2 });
    expect(callOptions({ ...quiet, maxConcurrent: 0 })).toEqual({});
  });

  it('passes every option the form sets, retryDefault as null', () => {
    expect(callOptions(DEFAULT_SETTINGS)).toEqual({
      maxConcurrent: 5,
      throttlePeriod: 40,
      numRetries: 2,
      retryDelay: 150,
      backoffFactor: 2,
      retryTimeout: 600,
      retryDefault: null,
    });
    expect(callOptions({ ...quiet, jitter: 'full', numRetries: 1, batchSize: 4, stopOnError: false })).toMatchObject({
      jitter: 'full',
      batchSize: 4,
      stopOnError: false,
    });
  });
});

describe('snippet', () => {
  it('prints the alcall call, or the bcall loop when batchSize > 0', () => {
    expect(snippet(quiet)).toContain('await alcall(items, task, {\n  maxConcurrent: 2,');
    const batched = snippet({ ...quiet, batchSize: 3, jitter: 'equal', numRetries: 1 });
    expect(batched).toContain("import { bcall } from '@lf/async-utils';");
    expect(batched).toContain('bcall(items, task, {\n  batchSize: 3,');
    expect(batched).toContain("jitter: 'equal',");
  });
});

describe('checkResults', () => {
  it('accepts results that match the lanes and names the first mismatch', () => {
    const rec = new TimelineRecorder(2, { maxAttempts: 1, defaulting: true, batchSize: 0 });
    rec.attemptStart(0, 1);
    rec.attemptEnd(0, 1, 'ok');
    rec.attemptStart(1, 1);
    rec.attemptEnd(1, 1, 'error');
    expect(checkResults(rec, [0, null])).toBe('ok');
    expect(checkResults(rec, [0, 1])).toBe('item 1 (defaulted): result 1');
    expect(checkResults(rec, [0])).toBe('expected 2 results, got 1');
  });
});

describe('startRun (real alcall)', () => {
  it('records every item and resolves done with results that match the timeline', async () => {
    const run = startRun(quiet, () => undefined);
    const outcome = await run.done;
    expect(outcome).toMatchObject({ kind: 'done', results: [0, 1, 2, 3, 4, 5], check: 'ok' });
    expect(run.recorder.tally().succeeded).toBe(6);
    expect(run.progress).toEqual({ completed: 6, failed: 0, total: 6 });
    expect(run.recorder.peakConcurrency()).toBeLessThanOrEqual(2);
  });

  it('cancel() rejects the call with a CancelledError and leaves nothing running', async () => {
    const run = startRun({ ...quiet, latencyMin: 200, latencyMax: 200 }, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    run.cancel();
    const outcome = await run.done;
    expect(outcome.kind).toBe('cancelled');
    expect(run.recorder.active).toBe(0);
    expect(run.recorder.tally().cancelled).toBe(6);
  });
});
