import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputDir, repoRoot, startHarness } from './harness.js';
import type { Harness, OpenPage } from './harness.js';
import { configure, laneStates, readState, runToEnd, waitSettled } from './page.js';
import type { PageState } from './page.js';

let harness: Harness | undefined;
let open: OpenPage;

beforeAll(async () => {
  harness = await startHarness();
  open = await harness.open('index.html');
  await open.page.waitForSelector('#snippet code:not(:empty)');
});

afterAll(async () => {
  await harness?.close();
});

function expectQuiet(state: PageState): void {
  expect(state.active).toBe(0);
  expect(state.counts.running).toBe(0);
  expect(state.lateStarts).toBe(0);
  for (const lane of state.lanes) {
    expect(['succeeded', 'failed', 'defaulted', 'cancelled']).toContain(lane.state);
    for (const segment of lane.segments) expect(segment.end).toBeTypeOf('number');
  }
}

describe('timeline page (real alcall / bcall in Chromium)', () => {
  it('runs every item to completion: one lane each, counts reach the totals, maxConcurrent holds', async () => {
    const state = await runToEnd(open.page, { items: 16, 'max-concurrent': 4, 'latency-min': 40, 'latency-max': 90 });
    expect(state.status).toBe('done');
    expect(state.check).toBe('ok');
    expect(state.lanes).toHaveLength(16);
    expect(state.lanes.map((l) => l.index)).toEqual([...Array(16).keys()]);
    expect(laneStates(state)).toEqual({ succeeded: 16 });
    expect(state.counts).toMatchObject({ completed: 16, failed: 0, defaulted: 0, cancelled: 0, retries: 0 });
    expect(state.progress).toEqual({ completed: 16, defaulted: 0, failed: 0, cancelled: 0, total: 16, text: '16 / 16' });
    expect(state.reported).toEqual({ completed: 16, failed: 0 });
    expect(state.peak).toBe(4);
    for (const lane of state.lanes) expect(lane.segments.map((s) => s.kind)).toEqual(['waiting', 'succeeded']);
    expectQuiet(state);
    expect(open.errors).toEqual([]);
  });

  it('retries failing attempts with growing backoff and defaults items whose every attempt fails', async () => {
    const state = await runToEnd(open.page, {
      items: 6,
      'failure-rate': 1,
      'num-retries': 2,
      'retry-delay': 40,
      'backoff-factor': 2,
      'retry-default': true,
    });
    expect(state.status).toBe('done');
    expect(state.check).toBe('ok'); // alcall returned null (the retryDefault) for every item
    expect(laneStates(state)).toEqual({ defaulted: 6 });
    expect(state.counts).toMatchObject({ defaulted: 6, cancelled: 0, retries: 12 });
    expect(state.progress).toMatchObject({ completed: 0, defaulted: 6, failed: 0, cancelled: 0, text: '6 / 6' });
    expect(state.reported.completed + state.reported.failed).toBe(6);
    for (const lane of state.lanes) {
      expect(lane.attempts).toBe(3);
      expect(lane.segments.map((s) => s.kind)).toEqual(['waiting', 'failed', 'backoff', 'failed', 'backoff', 'defaulted']);
      const backoffs = lane.segments.filter((s) => s.kind === 'backoff').map((s) => (s.end ?? 0) - s.start);
      expect(backoffs[0]).toBeGreaterThanOrEqual(38); // retryDelay 40 (1 ms of timer slack either side)
      expect(backoffs[1]).toBeGreaterThanOrEqual(78); // × backoffFactor 2
    }
    expectQuiet(state);
    expect(open.errors).toEqual([]);
  });

  it('bcall (batchSize > 0) runs the batches one after another and the progress sums over them', async () => {
    const state = await runToEnd(open.page, { items: 12, 'batch-size': 5, 'max-concurrent': 0 });
    expect(state.status).toBe('done');
    expect(state.check).toBe('ok');
    expect(state.lanes.map((l) => l.batch)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2]);
    expect(state.progress).toMatchObject({ completed: 12, failed: 0, total: 12 });
    expect(state.reported).toEqual({ completed: 12, failed: 0 });
    expect(state.counts.completed).toBe(12);
    for (const batch of [1, 2]) {
      const ends = state.lanes.filter((l) => l.batch === batch - 1).map((l) => l.segments.at(-1)?.end ?? Infinity);
      const starts = state.lanes.filter((l) => l.batch === batch).map((l) => l.segments[1]?.start ?? -Infinity);
      expect(Math.min(...starts)).toBeGreaterThanOrEqual(Math.max(...ends));
    }
    expect(state.peak).toBe(5);
    expectQuiet(state);
  });

  it('a failure (stopOnError, no retryDefault) rejects the call, cancels the rest and leaves nothing running', async () => {
    const state = await runToEnd(open.page, {
      items: 20,
      'failure-rate': 0.5,
      seed: 3,
      'max-concurrent': 4,
      'latency-min': 60,
      'latency-max': 120,
    });
    expect(state.status).toBe('failed');
    expect(state.statusText).toContain('SimulatedFailure');
    const states = laneStates(state);
    expect(states.failed).toBeGreaterThanOrEqual(1);
    expect(states.cancelled).toBeGreaterThanOrEqual(1);
    expect(state.counts.cancelled).toBe(states.cancelled);
    expectQuiet(state);
  });

  it('Cancel aborts the signal mid-run: cancelled lanes, nothing keeps running, nothing starts afterwards', async () => {
    const { page } = open;
    // Long enough (about 6 s) that the screenshot of the running page is taken before the run ends on a loaded machine.
    const ITEMS = 60;
    await configure(page, { items: ITEMS, 'max-concurrent': 3, 'latency-min': 250, 'latency-max': 400, 'throttle-period': 20 });
    await page.click('#run');
    await page.waitForFunction(() => Number(document.getElementById('count-completed')?.textContent) >= 3, undefined, {
      timeout: 30_000,
      polling: 20,
    });
    await page.screenshot({ path: `${outputDir}timeline-running.png` });
    await page.click('#cancel');
    await waitSettled(page);
    const state = await readState(page);
    expect(state.status).toBe('cancelled');
    expect(state.statusText).toContain('CancelledError');
    const { succeeded = 0, cancelled = 0 } = laneStates(state);
    expect(cancelled).toBeGreaterThan(0);
    expect(succeeded).toBeGreaterThanOrEqual(3);
    expect(succeeded).toBeLessThan(ITEMS);
    expect(succeeded + cancelled).toBe(ITEMS);
    expect(state.counts).toMatchObject({ completed: succeeded, cancelled, failed: 0 });
    // The bar and the counters agree after Cancel: the same partition of the lanes.
    expect(state.progress).toEqual({
      completed: succeeded,
      defaulted: 0,
      failed: 0,
      cancelled,
      total: ITEMS,
      text: `${String(ITEMS)} / ${String(ITEMS)}`,
    });
    // alcall's onProgress counts the calls aborted mid-attempt as failed and never reports the ones that never started.
    expect(state.reported.completed).toBe(succeeded);
    expect(state.reported.completed + state.reported.failed).toBeLessThan(ITEMS);
    // The attempts in flight at the click were aborted through ctx.signal, not left to finish.
    const abortedMidAttempt = state.lanes.filter((l) => l.state === 'cancelled' && l.attempts > 0);
    expect(abortedMidAttempt.length).toBeGreaterThanOrEqual(1);
    expect(abortedMidAttempt.length).toBeLessThanOrEqual(3);
    for (const lane of abortedMidAttempt) expect(lane.segments.at(-1)?.kind).toBe('cancelled');
    expectQuiet(state);
    await page.screenshot({ path: `${outputDir}timeline-cancelled.png` });

    // Longer than any attempt: had anything kept running, it would have moved by now.
    await page.waitForTimeout(800);
    const later = await readState(page);
    expect(later.lanes).toEqual(state.lanes);
    expect(later.counts).toEqual(state.counts);
    expect(later.progress).toEqual(state.progress);
    expectQuiet(later);
    expect(open.errors).toEqual([]);
  });

  it('past 40 items the lane labels thin out to a round stride instead of vanishing', async () => {
    const { page } = open;
    const state = await runToEnd(page, { items: 100, 'max-concurrent': 20, 'latency-min': 10, 'latency-max': 20 });
    expect(state.status).toBe('done');
    const labels = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="lane-label"]')]
        .filter((label) => label.getBoundingClientRect().height > 0 && getComputedStyle(label).fontSize !== '0px')
        .map((label) => ({ text: label.textContent, top: label.getBoundingClientRect().top })),
    );
    // 100 lanes of 5 px (the board stays about 560 px tall): every 5th keeps its label (#0, #5, …, #95),
    // each at least 12 px below the one before.
    const laneHeights = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="lane"]')].map((lane) => lane.getBoundingClientRect().height),
    );
    for (const h of laneHeights) expect(h).toBeCloseTo(5, 0);
    expect(labels.map((l) => l.text)).toEqual(Array.from({ length: 20 }, (_, i) => `#${String(i * 5)}`));
    for (let i = 1; i < labels.length; i++) expect((labels[i]?.top ?? 0) - (labels[i - 1]?.top ?? 0)).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: `${outputDir}timeline-100-items.png` });
    expect(open.errors).toEqual([]);
  });

  it('axis ticks read as exact values (1250 ms is "1.25 s") and the logo stays square on a narrow screen', async () => {
    const { page } = open;
    await runToEnd(page, { items: 10, 'max-concurrent': 1, 'latency-min': 100, 'latency-max': 130 });
    const labels = await page.locator('[data-testid="tick"]').allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(4);
    for (const label of labels) expect(label).toMatch(/^(0|\d+ ms|\d+(\.\d{1,3})? s)$/);
    // About 1.2 s of work: a 1.5 s axis ticks every 250 ms (a slower machine may pick a longer axis).
    if (labels.at(-1) === '1.5 s') expect(labels).toContain('1.25 s');
    expect(labels).not.toContain('1.3 s');
    await page.setViewportSize({ width: 360, height: 800 });
    const logo = await page.locator('.logo').boundingBox();
    expect(logo?.width).toBeCloseTo(44, 0);
    expect(logo?.height).toBeCloseTo(44, 0);
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  it('the default settings show every colour; a screenshot is saved (LF_UPDATE_SCREENSHOT=1 makes it docs/timeline.png)', async () => {
    const { page } = open;
    await page.reload();
    await page.waitForSelector('#snippet code:not(:empty)');
    await page.click('#run');
    await waitSettled(page);
    const state = await readState(page);
    expect(state.status).toBe('done');
    expect(state.check).toBe('ok');
    expect(state.lanes).toHaveLength(24);
    expect(state.counts.retries).toBeGreaterThan(0);
    expect(state.peak).toBeLessThanOrEqual(5);
    const kinds = new Set(state.lanes.flatMap((l) => l.segments.map((s) => s.kind)));
    // Seed 12 holds, among its 24 items, retried failures, retryTimeout hits and two items defaulted after 3 attempts.
    for (const kind of ['waiting', 'succeeded', 'failed', 'backoff', 'defaulted']) expect(kinds).toContain(kind);
    expect(await page.locator('[data-timeout="true"]').count()).toBeGreaterThan(0);
    expect(state.counts.defaulted).toBeGreaterThan(0);
    expectQuiet(state);
    await page.mouse.move(0, 0);
    // The bar's fills end their width transition: settled, they cover the whole bar.
    await page.waitForFunction(
      () => {
        const bar = document.getElementById('progress');
        if (bar === null) return false;
        const filled = [...bar.querySelectorAll('.fill')].reduce((w, fill) => w + fill.getBoundingClientRect().width, 0);
        return Math.abs(filled - bar.getBoundingClientRect().width) < 1;
      },
      undefined,
      { timeout: 10_000, polling: 50 },
    );
    const shot = `${outputDir}timeline.png`;
    await page.screenshot({ path: shot, fullPage: true });
    // The README's picture is refreshed on request only, so test runs leave the work tree clean.
    if (process.env.LF_UPDATE_SCREENSHOT === '1') copyFileSync(shot, `${repoRoot}docs/timeline.png`);
    expect(open.errors).toEqual([]);
  });
});
