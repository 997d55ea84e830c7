/**
 * The Gantt view: one lane per item, one absolutely positioned bar per
 * segment. Positions are CSS variables (`--s`, `--e` in ms) divided by the
 * board's `--domain`, so a rescale costs one style write, not one per bar.
 */
import { isSettled } from './timeline.js';
import type { Lane, LaneState, Segment, TimelineRecorder } from './timeline.js';

const END_MARK: Record<LaneState, string> = {
  waiting: '',
  running: '',
  backoff: '',
  succeeded: '✓',
  failed: '✕',
  defaulted: '↺',
  cancelled: '⊘',
};

interface LaneDom {
  row: HTMLElement;
  track: HTMLElement;
  mark: HTMLElement;
  bars: HTMLElement[];
  state: LaneState | '';
}

/**
 * Picks a round axis length at or above `ms` (1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9 × 10^k).
 *
 * @example
 * niceCeil(1730); // 2000
 */
export function niceCeil(ms: number): number {
  const x = Math.max(ms, 100);
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10]) {
    if (step * power >= x) return step * power;
  }
  return 10 * power;
}

/** Tick spacing for an axis of `domain` ms: 4 to 10 ticks. */
function tickStep(domain: number): number {
  const raw = domain / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= raw) return step * power;
  }
  return 10 * power;
}

function formatMs(ms: number): string {
  if (ms === 0) return '0';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
  return `${Math.round(ms)} ms`;
}

/**
 * Renders a TimelineRecorder into the board.
 *
 * @example
 * const view = new TimelineView(boardEl, axisEl, lanesEl);
 * view.reset(recorder);
 * requestAnimationFrame(function frame() { view.render(); requestAnimationFrame(frame); });
 */
export class TimelineView {
  private recorder: TimelineRecorder | undefined;
  private lanes: LaneDom[] = [];
  private domain = 0;
  private renderedVersion = -1;
  private readonly board: HTMLElement;
  private readonly axis: HTMLElement;
  private readonly lanesEl: HTMLElement;
  private readonly nowLine: HTMLElement;

  constructor(board: HTMLElement, axis: HTMLElement, lanesEl: HTMLElement) {
    this.board = board;
    this.axis = axis;
    this.lanesEl = lanesEl;
    this.nowLine = document.createElement('div');
    this.nowLine.className = 'now-line';
    this.nowLine.hidden = true;
  }

  /** Shows a new run: one empty lane per item. */
  reset(recorder: TimelineRecorder): void {
    this.recorder = recorder;
    this.domain = 0;
    this.renderedVersion = -1;
    const count = recorder.lanes.length;
    this.board.style.setProperty('--lane-h', `${Math.max(4, Math.min(22, Math.floor(560 / Math.max(count, 1))))}px`);
    this.board.classList.toggle('compact', count > 40);
    const batched = this.isBatched(recorder);
    const fragment = document.createDocumentFragment();
    this.lanes = recorder.lanes.map((lane) => {
      const row = document.createElement('div');
      row.className = 'lane';
      row.dataset.testid = 'lane';
      row.dataset.index = String(lane.index);
      row.dataset.batch = String(lane.batch);
      const previous = recorder.lanes[lane.index - 1];
      if (previous !== undefined && previous.batch !== lane.batch) row.classList.add('batch-start');
      const label = document.createElement('span');
      label.className = 'lane-label';
      label.textContent = `#${lane.index}`;
      if (batched) {
        const tag = document.createElement('small');
        tag.textContent = `b${lane.batch}`;
        label.append(' ', tag);
      }
      const track = document.createElement('div');
      track.className = 'track';
      const mark = document.createElement('span');
      mark.className = 'lane-mark';
      row.append(label, track, mark);
      fragment.append(row);
      return { row, track, mark, bars: [], state: '' };
    });
    this.lanesEl.replaceChildren(fragment, this.nowLine);
    this.render();
  }

  /** Brings the DOM up to date with the recorder; cheap when nothing moved. */
  render(): void {
    const recorder = this.recorder;
    if (recorder === undefined) return;
    const live = recorder.finishedAt === undefined;
    const elapsed = recorder.elapsed();
    const domain = niceCeil(elapsed * (live ? 1.05 : 1.02));
    if (domain !== this.domain) {
      this.domain = domain;
      this.board.style.setProperty('--domain', String(domain));
      this.drawAxis(domain);
    }
    this.nowLine.hidden = !live;
    if (live) this.nowLine.style.setProperty('--s', elapsed.toFixed(1));
    if (!live && recorder.version === this.renderedVersion) return;
    this.renderedVersion = recorder.version;
    recorder.lanes.forEach((lane, i) => {
      const dom = this.lanes[i];
      if (dom !== undefined) this.renderLane(lane, dom, elapsed);
    });
  }

  private isBatched(recorder: TimelineRecorder): boolean {
    const last = recorder.lanes.at(-1);
    return last !== undefined && last.batch > 0;
  }

  private renderLane(lane: Lane, dom: LaneDom, elapsed: number): void {
    if (dom.state !== lane.state) {
      dom.state = lane.state;
      dom.row.dataset.state = lane.state;
      dom.mark.textContent = END_MARK[lane.state];
      dom.row.classList.toggle('settled', isSettled(lane.state));
    }
    dom.row.dataset.attempts = String(lane.attempts);
    lane.segments.forEach((segment, j) => {
      let bar = dom.bars[j];
      if (bar === undefined) {
        bar = document.createElement('div');
        bar.dataset.testid = 'segment';
        bar.style.setProperty('--s', segment.start.toFixed(1));
        bar.dataset.start = segment.start.toFixed(1);
        dom.bars.push(bar);
        dom.track.append(bar);
      }
      this.renderBar(bar, segment, elapsed);
    });
  }

  private renderBar(bar: HTMLElement, segment: Segment, elapsed: number): void {
    if (bar.dataset.kind !== segment.kind) {
      bar.dataset.kind = segment.kind;
      bar.className = `seg seg-${segment.kind}${segment.timedOut ? ' timed-out' : ''}${segment.start === segment.end ? ' cap' : ''}`;
      if (segment.timedOut) bar.dataset.timeout = 'true';
    }
    const end = segment.end ?? elapsed;
    bar.style.setProperty('--e', end.toFixed(1));
    if (segment.end === undefined) delete bar.dataset.end;
    else bar.dataset.end ??= segment.end.toFixed(1);
    const span = `${formatMs(segment.start)} → ${segment.end === undefined ? 'now' : formatMs(segment.end)}`;
    const title = `${segment.kind}${segment.note ? ` · ${segment.note}` : ''} · ${span}`;
    if (bar.title !== title) bar.title = title;
  }

  private drawAxis(domain: number): void {
    const step = tickStep(domain);
    const ticks: HTMLElement[] = [];
    for (let t = 0; t <= domain + 1e-6; t += step) {
      const tick = document.createElement('span');
      tick.className = t === 0 ? 'tick start' : Math.abs(t - domain) < 1e-6 ? 'tick end' : 'tick';
      tick.style.setProperty('--s', String(t));
      tick.textContent = formatMs(t);
      ticks.push(tick);
    }
    this.axis.replaceChildren(...ticks);
    this.board.style.setProperty('--grid', String((step / domain) * 100));
  }
}
