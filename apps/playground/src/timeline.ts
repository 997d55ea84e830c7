import { createPainter, type Painter } from './ansi.js';

/**
 * Records what each item of a demo did over time (waiting for a slot,
 * running, backing off before a retry) and renders it as an ASCII timeline:
 * one row per item, time on the x axis.
 */

/** A stretch of time a row spends in one state. */
export type Phase = 'wait' | 'run' | 'backoff';
/** A moment: an attempt failed, or the item was cancelled. */
export type MarkKind = 'fail' | 'cancel';

/** The glyph drawn for every phase and mark (also listed by {@link legend}). */
export const GLYPHS: Readonly<Record<Phase | MarkKind, string>> = {
  run: '#',
  wait: '.',
  backoff: '~',
  fail: 'x',
  cancel: '!',
};

/** One recorded phase, in ms since the timeline was created. */
export interface Segment {
  readonly phase: Phase;
  readonly start: number;
  readonly end: number;
}

/** One recorded mark, in ms since the timeline was created. */
export interface Mark {
  readonly kind: MarkKind;
  readonly at: number;
}

/** What a row recorded, as returned by {@link Timeline.rows}. */
export interface TimelineRow {
  readonly label: string;
  readonly segments: readonly Segment[];
  readonly marks: readonly Mark[];
  readonly note: string;
}

/** Options of {@link Timeline.render}. */
export interface RenderOptions {
  /** Columns of the time axis. Default 48. */
  width?: number;
  /** Colours; default none. */
  paint?: Painter;
}

interface OpenPhase {
  readonly phase: Phase;
  readonly start: number;
  /** A backoff opened by `fail()`: kept only if the row runs again. */
  readonly provisional: boolean;
}

interface Row {
  readonly label: string;
  readonly segments: Segment[];
  readonly marks: Mark[];
  open: OpenPhase | undefined;
  note: string;
}

/**
 * A recorder of per-row phases on a monotonic clock.
 *
 * `wait`, `run` and `backoff` switch a row to that phase (closing the one it
 * was in); `done` closes it; `fail` marks a failed attempt and starts a
 * backoff that is kept only if the row runs again; `cancel` marks the row
 * cancelled. `stop()` freezes the timeline; anything recorded after it is
 * listed in `late` (in the demo: work that kept running after its call
 * settled, which lf promises never happens).
 *
 * @example
 * ```ts
 * const tl = new Timeline();
 * tl.wait('item 1');
 * tl.run('item 1');   // when the slot is granted
 * tl.done('item 1');
 * console.log(tl.render().join('\n'));
 * ```
 */
export class Timeline {
  readonly #clock: () => number;
  readonly #origin: number;
  readonly #rows = new Map<string, Row>();
  #stoppedAt: number | undefined;
  /** Events recorded after `stop()`, as `"<label> <event>"`. */
  readonly late: string[] = [];

  constructor(clock: () => number = () => performance.now()) {
    this.#clock = clock;
    this.#origin = clock();
  }

  /** Milliseconds since the timeline was created (frozen by `stop()`). */
  elapsed(): number {
    return this.#stoppedAt ?? this.#clock() - this.#origin;
  }

  /** The row starts waiting (for a concurrency slot or a throttle slot). */
  wait(label: string): void {
    this.#enter(label, 'wait', 'wait');
  }

  /** The row starts running (an attempt begins). */
  run(label: string): void {
    this.#enter(label, 'run', 'run');
  }

  /** The row starts a retry backoff. */
  backoff(label: string): void {
    this.#enter(label, 'backoff', 'backoff');
  }

  /** The row finished what it was doing. */
  done(label: string): void {
    const row = this.#event(label, 'done');
    if (row) this.#close(row);
  }

  /** An attempt failed; the time until the row runs again is drawn as backoff. */
  fail(label: string): void {
    const row = this.#event(label, 'fail');
    if (!row) return;
    const at = this.#close(row);
    row.marks.push({ kind: 'fail', at });
    row.open = { phase: 'backoff', start: at, provisional: true };
  }

  /** The row was cancelled (while running or before it started). */
  cancel(label: string): void {
    const row = this.#event(label, 'cancel');
    if (!row) return;
    const at = this.#close(row);
    row.marks.push({ kind: 'cancel', at });
  }

  /** Marks every row still waiting as cancelled (items that never started); returns their labels. */
  cancelWaiting(): string[] {
    const labels: string[] = [];
    for (const row of this.#rows.values()) {
      if (row.open?.phase === 'wait') {
        labels.push(row.label);
        this.cancel(row.label);
      }
    }
    return labels;
  }

  /** Text printed at the right of the row (its result, its error). */
  note(label: string, text: string): void {
    this.#row(label).note = text;
  }

  /**
   * Freezes the timeline: open phases end now, a pending backoff is dropped.
   * Returns the total duration in ms. Calling it again changes nothing.
   */
  stop(): number {
    if (this.#stoppedAt === undefined) {
      const at = this.elapsed();
      for (const row of this.#rows.values()) this.#close(row, at, true);
      this.#stoppedAt = at;
    }
    return this.#stoppedAt;
  }

  /** What every row recorded, in the order rows were first seen. */
  rows(): TimelineRow[] {
    return [...this.#rows.values()].map((row) => ({
      label: row.label,
      segments: [...row.segments],
      marks: [...row.marks],
      note: row.note,
    }));
  }

  /**
   * Stops the timeline and draws it: one line per row
   * (`label |####..~~x###| note`), then the time axis.
   */
  render(options: RenderOptions = {}): string[] {
    const width = options.width ?? 48;
    if (!Number.isInteger(width) || width < 8) throw new RangeError(`width must be an integer >= 8, got ${width}`);
    const paint = options.paint ?? createPainter(false);
    const total = Math.max(this.stop(), 1);
    const perColumn = total / width;
    const rows = [...this.#rows.values()];
    const labelWidth = Math.max(0, ...rows.map((row) => row.label.length));
    const first = (t: number) => clamp(Math.floor(t / perColumn), 0, width - 1);
    const last = (t: number) => clamp(Math.ceil(t / perColumn) - 1, 0, width - 1);

    const lines = rows.map((row) => {
      const cells = new Array<Phase | MarkKind | undefined>(width).fill(undefined);
      for (const segment of row.segments) {
        if (segment.end <= segment.start && segment.phase !== 'run') continue;
        const from = first(segment.start);
        const to = Math.max(from, last(segment.end));
        cells.fill(segment.phase, from, to + 1);
      }
      for (const mark of row.marks) cells[last(mark.at)] = mark.kind;
      const note = row.note === '' ? '' : ` ${row.note}`;
      return `${row.label.padEnd(labelWidth)} |${drawCells(cells, paint)}|${note}`;
    });

    const start = '0';
    const end = formatMs(total);
    const gap = Math.max(1, width + 1 - start.length - end.length);
    const axis = `${' '.repeat(labelWidth + 2)}${start}${' '.repeat(gap)}${end}`;
    const scale = paint.dim(`${' '.repeat(labelWidth + 2)}1 column = ${formatMs(perColumn)}`);
    return [...lines, paint.dim(axis), scale];
  }

  #row(label: string): Row {
    let row = this.#rows.get(label);
    if (!row) {
      row = { label, segments: [], marks: [], open: undefined, note: '' };
      this.#rows.set(label, row);
    }
    return row;
  }

  /** The row an event applies to, or undefined (and a `late` entry) after `stop()`. */
  #event(label: string, event: string): Row | undefined {
    if (this.#stoppedAt !== undefined) {
      this.late.push(`${label} ${event}`);
      return undefined;
    }
    return this.#row(label);
  }

  #enter(label: string, phase: Phase, event: string): void {
    const row = this.#event(label, event);
    if (!row) return;
    const at = this.#close(row);
    row.open = { phase, start: at, provisional: false };
  }

  /** Ends the row's open phase at `at` (default: now) and returns that time. */
  #close(row: Row, at: number = this.elapsed(), dropProvisional = false): number {
    const open = row.open;
    if (open) {
      if (!(open.provisional && dropProvisional)) {
        row.segments.push({ phase: open.phase, start: open.start, end: at });
      }
      row.open = undefined;
    }
    return at;
  }
}

/** The legend of the glyphs, one line. */
export function legend(paint: Painter = createPainter(false)): string {
  const entries: [Phase | MarkKind, string][] = [
    ['run', 'running'],
    ['wait', 'waiting for a slot / the throttle'],
    ['backoff', 'retry backoff'],
    ['fail', 'failed'],
    ['cancel', 'cancelled'],
  ];
  return entries.map(([kind, text]) => `${colour(kind, GLYPHS[kind], paint)} ${text}`).join('   ');
}

/** `12ms`, `1.5ms` or `1.20s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms >= 10) return `${Math.round(ms)}ms`;
  return `${Number(ms.toFixed(1))}ms`;
}

function drawCells(cells: readonly (Phase | MarkKind | undefined)[], paint: Painter): string {
  let out = '';
  let i = 0;
  while (i < cells.length) {
    const kind = cells[i];
    let j = i + 1;
    while (j < cells.length && cells[j] === kind) j++;
    out += kind === undefined ? ' '.repeat(j - i) : colour(kind, GLYPHS[kind].repeat(j - i), paint);
    i = j;
  }
  return out;
}

function colour(kind: Phase | MarkKind, text: string, paint: Painter): string {
  switch (kind) {
    case 'run':
      return paint.green(text);
    case 'wait':
      return paint.dim(text);
    case 'backoff':
      return paint.yellow(text);
    case 'fail':
      return paint.red(text);
    case 'cancel':
      return paint.magenta(text);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
