/**
 * The rate window page: runs the workload through lf, then through p-throttle
 * strict, and redraws both sides on every animation frame while they move.
 */
import { niceCeil } from './axis.js';
import { rateSnippet, readRateSettings, writeRateSettings } from './rate-form.js';
import { DEFAULT_RATE_SETTINGS, runLf, runPThrottle } from './rate-run.js';
import type { LfRun, RateSettings, SideRecord } from './rate-run.js';
import { RateSideView } from './rate-view.js';

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`missing #${id}`);
  return el;
}

const form = byId('rate-settings') as HTMLFormElement;
const runButton = byId('rate-run') as HTMLButtonElement;
const settleButton = byId('settle') as HTMLButtonElement;
const pauseButton = byId('pause') as HTMLButtonElement;
const pauseMs = byId('pause-ms') as HTMLInputElement;
const status = byId('rate-status');
const board = byId('rate-board');
const code = byId('rate-snippet').querySelector('code');
const lfView = new RateSideView(byId('side-lf'));
const ptView = new RateSideView(byId('side-pt'));

interface Current {
  settings: RateSettings;
  lf: LfRun | undefined;
  lfRecord: SideRecord | undefined;
  ptRecord: SideRecord | undefined;
}
let current: Current | undefined;

function setStatus(state: string, text: string): void {
  status.dataset.state = state;
  if (status.textContent !== text) status.textContent = text;
}

function showSnippet(): void {
  if (code) code.textContent = rateSnippet(readRateSettings(form));
}

function elapsed(record: SideRecord | undefined): number {
  if (record === undefined) return 0;
  return record.finishedAt ?? performance.now() - record.origin;
}

/** Redraws both sides on one time axis, so the same instant lines up. */
function draw(): void {
  if (current === undefined) return;
  const { settings, lfRecord, ptRecord } = current;
  const domain = niceCeil(Math.max(elapsed(lfRecord), elapsed(ptRecord)) * 1.04);
  board.dataset.domain = String(domain);
  if (lfRecord !== undefined) lfView.render(lfRecord, settings.limits, domain);
  if (ptRecord !== undefined) ptView.render(ptRecord, settings.limits, domain);
}

function frame(): void {
  draw();
  requestAnimationFrame(frame);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function run(settings: RateSettings): Promise<void> {
  const state: Current = { settings, lf: undefined, lfRecord: undefined, ptRecord: undefined };
  current = state;
  lfView.clear('starting…');
  ptView.clear('waits for lf');
  try {
    state.lf = runLf(settings);
  } catch (error) {
    setStatus('failed', `RateLimiter refused the limits · ${describe(error)}`);
    return;
  }
  state.lfRecord = state.lf.record;
  settleButton.disabled = false;
  pauseButton.disabled = false;
  setStatus('running-lf', `lf: ${String(settings.calls)} calls through one RateLimiter…`);
  await state.lf.done;
  settleButton.disabled = true;
  pauseButton.disabled = true;
  setStatus('running-pt', `p-throttle strict: the same ${String(settings.calls)} calls…`);
  try {
    const pt = runPThrottle(settings);
    state.ptRecord = pt.record;
    await pt.done;
  } catch (error) {
    setStatus('failed', `p-throttle refused the limits · ${describe(error)}`);
    return;
  }
  // Final draw before reporting, so the status and the charts agree.
  draw();
  const lfOver = Number(byId('side-lf').dataset.over);
  const ptOver = Number(byId('side-pt').dataset.over);
  setStatus('done', `Done · releases in a window over its limit: lf ${String(lfOver)}, p-throttle ${String(ptOver)}`);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (runButton.disabled) return;
  const settings = readRateSettings(form);
  showSnippet();
  runButton.disabled = true;
  void run(settings).finally(() => {
    runButton.disabled = false;
    settleButton.disabled = true;
    pauseButton.disabled = true;
  });
});

settleButton.addEventListener('click', () => {
  const n = current?.lf?.settle() ?? 0;
  settleButton.dataset.settled = String(Number(settleButton.dataset.settled ?? 0) + n);
});

pauseButton.addEventListener('click', () => {
  const ms = pauseMs.valueAsNumber;
  try {
    current?.lf?.pause(ms);
  } catch (error) {
    setStatus(status.dataset.state ?? 'running-lf', describe(error));
  }
});

form.addEventListener('input', showSnippet);
writeRateSettings(form, DEFAULT_RATE_SETTINGS);
showSnippet();
requestAnimationFrame(frame);
