/**
 * Driving and reading the timeline page (apps/playground/web/index.html)
 * through its ids and data-* attributes.
 */
import type { Page } from 'playwright-core';

/** Form control ids and the values to put in them. */
export type FormValues = Record<string, string | number | boolean>;

/** A calm baseline that every test overrides: no failures, no retries, no throttle. */
export const BASELINE: FormValues = {
  items: 12,
  'latency-min': 20,
  'latency-max': 60,
  'failure-rate': 0,
  seed: 1,
  'max-concurrent': 4,
  'throttle-period': 0,
  'batch-size': 0,
  'num-retries': 0,
  'retry-delay': 0,
  'backoff-factor': 1,
  jitter: 'none',
  'retry-timeout': 0,
  'retry-default': false,
  'stop-on-error': true,
};

export interface SegmentInfo {
  kind: string;
  start: number;
  end: number | undefined;
}

export interface LaneInfo {
  index: number;
  batch: number;
  state: string;
  attempts: number;
  segments: SegmentInfo[];
}

export interface PageState {
  status: string;
  statusText: string;
  check: string | undefined;
  counts: Record<'completed' | 'failed' | 'defaulted' | 'cancelled' | 'retries' | 'running', number>;
  /** The bar: the lanes' partition, as the counts (progress.ts). */
  progress: { completed: number; defaulted: number; failed: number; cancelled: number; total: number; text: string };
  /** alcall's own onProgress report, kept on the bar. */
  reported: { completed: number; failed: number };
  active: number;
  lateStarts: number;
  peak: number;
  lanes: LaneInfo[];
}

/** Fills the form: booleans tick checkboxes, `jitter` picks an option, the rest are typed. */
export async function configure(page: Page, values: FormValues): Promise<void> {
  for (const [id, value] of Object.entries({ ...BASELINE, ...values })) {
    const selector = `#${id}`;
    if (typeof value === 'boolean') await page.setChecked(selector, value);
    else if (id === 'jitter') await page.selectOption(selector, String(value));
    else await page.fill(selector, String(value));
  }
}

/** The terminal states of #status. */
export const SETTLED_STATES = ['done', 'failed', 'cancelled'];

/** Waits until the run settles (the status leaves running / cancelling). */
export async function waitSettled(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction((states) => states.includes(document.getElementById('status')?.dataset.state ?? ''), SETTLED_STATES, {
    timeout,
    polling: 50,
  });
}

/** Configures, presses Run and waits for the run to settle. */
export async function runToEnd(page: Page, values: FormValues): Promise<PageState> {
  await configure(page, values);
  // The click handler flips #status to "running" synchronously, so a previous run's end state cannot match.
  await page.click('#run');
  await waitSettled(page);
  return readState(page);
}

/** Everything the page shows, as numbers and strings. */
export async function readState(page: Page): Promise<PageState> {
  return page.evaluate(() => {
    const num = (id: string): number => Number(document.getElementById(id)?.textContent ?? NaN);
    const status = document.getElementById('status');
    const progress = document.getElementById('progress');
    const diagnostics = document.getElementById('diagnostics');
    const lanes = [...document.querySelectorAll<HTMLElement>('[data-testid="lane"]')].map((lane) => ({
      index: Number(lane.dataset.index),
      batch: Number(lane.dataset.batch),
      state: lane.dataset.state ?? '',
      attempts: Number(lane.dataset.attempts),
      segments: [...lane.querySelectorAll<HTMLElement>('[data-testid="segment"]')].map((bar) => ({
        kind: bar.dataset.kind ?? '',
        start: Number(bar.dataset.start),
        end: bar.dataset.end === undefined ? undefined : Number(bar.dataset.end),
      })),
    }));
    return {
      status: status?.dataset.state ?? '',
      statusText: status?.textContent ?? '',
      check: status?.dataset.check,
      counts: {
        completed: num('count-completed'),
        failed: num('count-failed'),
        defaulted: num('count-defaulted'),
        cancelled: num('count-cancelled'),
        retries: num('count-retries'),
        running: num('count-running'),
      },
      progress: {
        completed: Number(progress?.dataset.completed),
        defaulted: Number(progress?.dataset.defaulted),
        failed: Number(progress?.dataset.failed),
        cancelled: Number(progress?.dataset.cancelled),
        total: Number(progress?.dataset.total),
        text: document.getElementById('progress-text')?.textContent ?? '',
      },
      reported: {
        completed: Number(progress?.dataset.reportedCompleted),
        failed: Number(progress?.dataset.reportedFailed),
      },
      active: Number(diagnostics?.dataset.active),
      lateStarts: Number(diagnostics?.dataset.lateStarts),
      peak: Number(diagnostics?.dataset.peak),
      lanes,
    };
  });
}

/** How many lanes are in each state. */
export function laneStates(state: PageState): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const lane of state.lanes) tally[lane.state] = (tally[lane.state] ?? 0) + 1;
  return tally;
}
