/**
 * The Gantt view: one lane per item, one absolutely positioned bar per
 * segment. Positions are CSS variables (`--s`, `--e` in ms) divided by the
 * board's `--domain`, so a rescale costs one style write, not one per bar.
 */
import { formatMs, niceCeil, ticks, tickStep } from './axis.js';
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

/** Lanes below this height (px) are too short for a label each. */
const LABEL_PX = 12;

/**
 * Lane height (px) for `count` lanes: the board stays about 560 px tall, 4 to 22 px a lane.
 *
 * @example
 * laneHeight(100); // 5
 */
export function laneHeight(count: number): number {
  return Math.max(4, Math.min(22, Math.floor(560 / Math.max(count, 1))));
}

/**
 * Which lanes carry a label when lanes are short: every `labelStride(h)`-th one
 * (1, 2, 5, 10, 20, 50, …), the smallest round stride whose labels are at least
 * 12 px apart, so past 40 items the labels thin out instead of vanishing.
 *
 * @example
 * labelStride(22); // 1: every lane
 * labelStride(5);  // 5: #0, #5, #10, …
 */
export function labelStride(laneHeightPx: number): number {
  for (let power = 1; ; power *= 10) {
    for (const step of [1, 2, 5]) {
      if (step * power * laneHeightPx >= LABEL_PX) return step * power;
    }
  }
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
    const height = laneHeight(count);
    const stride = labelStride(height);
    // On the lanes element itself: the stylesheet's default there would shadow a value set higher up.
    this.lanesEl.style.setProperty('--lane-h', `${String(height)}px`);
    this.board.classList.toggle('compact', stride > 1);
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
      label.className = lane.index % stride === 0 ? 'lane-label' : 'lane-label unlabelled';
      label.dataset.testid = 'lane-label';
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
    const marks = ticks(domain).map((t) => {
      const tick = document.createElement('span');
      tick.className = t === 0 ? 'tick start' : Math.abs(t - domain) < 1e-6 ? 'tick end' : 'tick';
      tick.dataset.testid = 'tick';
      tick.style.setProperty('--s', String(t));
      tick.textContent = formatMs(t);
      return tick;
    });
    this.axis.replaceChildren(...marks);
    this.board.style.setProperty('--grid', String((tickStep(domain) / domain) * 100));
  }
}
