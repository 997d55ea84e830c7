/**
 * The timeline page: wires the form, the Run / Cancel buttons, the counts and
 * the Gantt view to `startRun` (the real alcall / bcall).
 */
import { readSettings, snippet, writeSettings } from './form.js';
import { progressBar } from './progress.js';
import { DEFAULT_SETTINGS, describe, startRun } from './run.js';
import type { Run, RunOutcome } from './run.js';
import { TimelineView } from './view.js';

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`missing #${id}`);
  return el;
}

const form = byId('settings') as HTMLFormElement;
const runButton = byId('run') as HTMLButtonElement;
const cancelButton = byId('cancel') as HTMLButtonElement;
const status = byId('status');
const progressEl = byId('progress');
const progressText = byId('progress-text');
const diagnostics = byId('diagnostics');
const code = byId('snippet').querySelector('code');
const counts = {
  completed: byId('count-completed'),
  failed: byId('count-failed'),
  defaulted: byId('count-defaulted'),
  cancelled: byId('count-cancelled'),
  retries: byId('count-retries'),
  running: byId('count-running'),
};
const view = new TimelineView(byId('board'), byId('axis'), byId('lanes'));

let current: Run | undefined;

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function setStatus(state: string, text: string): void {
  status.dataset.state = state;
  setText(status, text);
}

function showSnippet(): void {
  if (code) code.textContent = snippet(readSettings(form));
}

/** Counts, progress bar and diagnostics; the timeline bars are drawn by the view. */
function renderCounts(run: Run): void {
  const tally = run.recorder.tally();
  // The counts partition the lanes, and so does the bar (progress.ts); alcall's own
  // onProgress (where a call aborted by Cancel counts as failed) is kept as data.
  setText(counts.completed, String(tally.succeeded));
  setText(counts.failed, String(tally.failed));
  setText(counts.defaulted, String(tally.defaulted));
  setText(counts.cancelled, String(tally.cancelled));
  setText(counts.retries, String(run.stats.retries));
  setText(counts.running, String(run.recorder.active));
  const bar = progressBar(tally);
  progressEl.style.setProperty('--completed', String(bar.completed));
  progressEl.style.setProperty('--defaulted', String(bar.defaulted));
  progressEl.style.setProperty('--failed', String(bar.failed));
  progressEl.style.setProperty('--cancelled', String(bar.cancelled));
  progressEl.setAttribute('aria-valuemax', String(bar.total));
  progressEl.setAttribute('aria-valuenow', String(bar.settled));
  progressEl.dataset.completed = String(tally.succeeded);
  progressEl.dataset.defaulted = String(tally.defaulted);
  progressEl.dataset.failed = String(tally.failed);
  progressEl.dataset.cancelled = String(tally.cancelled);
  progressEl.dataset.total = String(bar.total);
  progressEl.dataset.reportedCompleted = String(run.progress.completed);
  progressEl.dataset.reportedFailed = String(run.progress.failed);
  setText(progressText, bar.text);
  const peak = run.recorder.peakConcurrency();
  diagnostics.dataset.active = String(run.recorder.active);
  diagnostics.dataset.lateStarts = String(run.recorder.startsAfterFinish);
  diagnostics.dataset.peak = String(peak);
  const limit = run.settings.maxConcurrent > 0 ? ` (maxConcurrent ${run.settings.maxConcurrent})` : '';
  setText(
    diagnostics,
    `peak concurrency ${peak}${limit} · attempts in flight ${run.recorder.active} · ` +
      `attempts started after the call settled: ${run.recorder.startsAfterFinish}`,
  );
}

function frame(): void {
  if (current !== undefined) {
    view.render();
    renderCounts(current);
  }
  requestAnimationFrame(frame);
}

function finish(run: Run, outcome: RunOutcome): void {
  const seconds = `${(run.recorder.elapsed() / 1000).toFixed(2)} s`;
  status.dataset.check = outcome.kind === 'done' ? outcome.check : '';
  if (outcome.kind === 'done') {
    const check = outcome.check === 'ok' ? 'results match the timeline' : `results check: ${outcome.check}`;
    setStatus('done', `Done in ${seconds} · ${outcome.results.length} results · ${check}`);
  } else if (outcome.kind === 'cancelled') {
    setStatus('cancelled', `Cancelled after ${seconds} · rejected with ${describe(outcome.reason)}`);
  } else {
    setStatus('failed', `Rejected after ${seconds} · ${describe(outcome.error)}`);
  }
  runButton.disabled = false;
  cancelButton.disabled = true;
  view.render();
  renderCounts(run);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (current !== undefined && current.recorder.finishedAt === undefined) return;
  const settings = readSettings(form);
  showSnippet();
  const run = startRun(settings, () => undefined);
  current = run;
  view.reset(run.recorder);
  delete status.dataset.check;
  setStatus('running', `Running ${settings.items} items with ${settings.batchSize > 0 ? 'bcall' : 'alcall'}…`);
  runButton.disabled = true;
  cancelButton.disabled = false;
  void run.done.then((outcome) => {
    finish(run, outcome);
  });
});

cancelButton.addEventListener('click', () => {
  if (current === undefined || current.recorder.finishedAt !== undefined) return;
  cancelButton.disabled = true;
  setStatus('cancelling', 'Cancelling: waiting for running attempts to settle…');
  current.cancel();
});

form.addEventListener('input', showSnippet);
writeSettings(form, DEFAULT_SETTINGS);
showSnippet();
requestAnimationFrame(frame);
