/**
 * The timeline recorder: turns the events seen by an instrumented `fn`
 * (attempt starts and ends, read from `ctx.attempt` and `ctx.signal`) into one
 * lane of coloured segments per item. Pure data, no DOM: the page renders it.
 */
import { peakOverlap } from '../src/stats.js';

/** What a stretch of an item's life looks like on its lane. */
export type SegmentKind =
  | 'waiting' // not started yet: waiting for a concurrency slot, the throttle, or its batch
  | 'running' // an attempt in progress
  | 'succeeded' // an attempt that returned a value
  | 'backoff' // between a failed attempt and the next one
  | 'failed' // an attempt that threw or timed out
  | 'defaulted' // the last failed attempt, replaced by retryDefault
  | 'cancelled'; // cut short by the run's signal or by a failing sibling

export type LaneState = 'waiting' | 'running' | 'backoff' | 'succeeded' | 'failed' | 'defaulted' | 'cancelled';

/** How one attempt ended, as `fn` saw it. */
export type AttemptOutcome = 'ok' | 'error' | 'timeout' | 'cancelled';

/** What the item was doing; unlike `kind` (the colour) it never changes once recorded. */
export type Phase = 'wait' | 'attempt' | 'backoff';

export interface Segment {
  phase: Phase;
  kind: SegmentKind;
  /** ms since the run started. */
  start: number;
  /** ms since the run started; undefined while the segment is open. */
  end: number | undefined;
  attempt: number;
  /** The attempt was failed by retryTimeout. */
  timedOut: boolean;
  note: string;
}

export interface Lane {
  index: number;
  /** Batch number (bcall), or 0. */
  batch: number;
  state: LaneState;
  attempts: number;
  segments: Segment[];
}

export interface RecorderOptions {
  /** numRetries + 1. */
  maxAttempts: number;
  /** retryDefault is set: a lane whose last attempt fails is defaulted, not failed. */
  defaulting: boolean;
  /** Items per batch (bcall), or 0 for a single alcall. */
  batchSize: number;
  /** Millisecond clock; performance.now by default. */
  clock?: () => number;
}

export interface Tally {
  waiting: number;
  running: number;
  backoff: number;
  succeeded: number;
  failed: number;
  defaulted: number;
  cancelled: number;
}

const SETTLED: ReadonlySet<LaneState> = new Set(['succeeded', 'failed', 'defaulted', 'cancelled']);

/** True once a lane will not change any more. */
export function isSettled(state: LaneState): boolean {
  return SETTLED.has(state);
}

/**
 * Records one run. Every lane opens with a `waiting` segment at time 0; the
 * instrumented function reports each attempt's start and end; `finish` closes
 * whatever is still open as `cancelled` (items that never ran, backoffs cut short).
 *
 * @example
 * const rec = new TimelineRecorder(3, { maxAttempts: 2, defaulting: false, batchSize: 0 });
 * rec.attemptStart(0, 1);
 * rec.attemptEnd(0, 1, 'ok');
 * rec.lanes[0]?.state; // 'succeeded'
 */
export class TimelineRecorder {
  readonly lanes: Lane[];
  readonly origin: number;
  /** Attempts currently inside fn. */
  active = 0;
  /** Attempts that started after finish(): must stay 0 (nothing runs after alcall settles). */
  startsAfterFinish = 0;
  /** Bumped on every recorded event: a view re-renders when it moves. */
  version = 0;
  /** ms since the origin when finish() ran, or undefined while the run is live. */
  finishedAt: number | undefined;
  private readonly clock: () => number;
  private readonly options: RecorderOptions;

  constructor(total: number, options: RecorderOptions) {
    this.options = options;
    this.clock = options.clock ?? (() => performance.now());
    this.origin = this.clock();
    this.lanes = Array.from({ length: total }, (_, index) => ({
      index,
      batch: options.batchSize > 0 ? Math.floor(index / options.batchSize) : 0,
      state: 'waiting',
      attempts: 0,
      segments: [{ phase: 'wait', kind: 'waiting', start: 0, end: undefined, attempt: 0, timedOut: false, note: 'waiting' }],
    }));
  }

  /** ms since the run started. */
  elapsed(): number {
    return this.finishedAt ?? this.clock() - this.origin;
  }

  /** `fn` was called for `index` with `ctx.attempt === attempt`. */
  attemptStart(index: number, attempt: number): void {
    const lane = this.lane(index);
    const t = this.clock() - this.origin;
    this.version++;
    if (this.finishedAt !== undefined) this.startsAfterFinish++;
    this.close(lane, t);
    lane.attempts = attempt;
    lane.state = 'running';
    lane.segments.push({
      phase: 'attempt',
      kind: 'running',
      start: t,
      end: undefined,
      attempt,
      timedOut: false,
      note: `attempt ${attempt}`,
    });
    this.active++;
  }

  /** The attempt started by `attemptStart(index, attempt)` ended. */
  attemptEnd(index: number, attempt: number, outcome: AttemptOutcome, note = ''): void {
    const lane = this.lane(index);
    const t = this.clock() - this.origin;
    const open = lane.segments.at(-1);
    if (open?.phase !== 'attempt' || open.attempt !== attempt || open.end !== undefined) return;
    this.version++;
    this.active--;
    open.end = t;
    if (outcome === 'ok') {
      open.kind = 'succeeded';
      lane.state = 'succeeded';
      return;
    }
    if (outcome === 'cancelled') {
      open.kind = 'cancelled';
      open.note = joinNote(`attempt ${attempt} aborted`, note);
      lane.state = 'cancelled';
      return;
    }
    const what = outcome === 'timeout' ? 'timed out' : 'failed';
    open.timedOut = outcome === 'timeout';
    if (attempt < this.options.maxAttempts) {
      open.kind = 'failed';
      open.note = joinNote(`attempt ${attempt} ${what}`, note);
      lane.state = 'backoff';
      lane.segments.push({
        phase: 'backoff',
        kind: 'backoff',
        start: t,
        end: undefined,
        attempt,
        timedOut: false,
        note: `backoff after attempt ${attempt}`,
      });
      return;
    }
    open.kind = this.options.defaulting ? 'defaulted' : 'failed';
    open.note = joinNote(`attempt ${attempt} ${what}${this.options.defaulting ? ' → retryDefault' : ' (last)'}`, note);
    lane.state = this.options.defaulting ? 'defaulted' : 'failed';
  }

  /** Adds a note (e.g. the planned delay from onRetry) to a lane's open backoff. */
  noteBackoff(index: number, note: string): void {
    const open = this.lane(index).segments.at(-1);
    if (open?.kind === 'backoff' && open.end === undefined) {
      open.note = joinNote(open.note, note);
      this.version++;
    }
  }

  /**
   * The run settled: every lane still waiting or backing off was cancelled
   * (its wait ends here, followed by a zero-length `cancelled` cap). An attempt
   * still open is left running and counted in `active`: the call should not
   * have settled before it, and the page shows that.
   */
  finish(): void {
    if (this.finishedAt !== undefined) return;
    const t = this.clock() - this.origin;
    for (const lane of this.lanes) {
      if (isSettled(lane.state)) continue;
      const open = lane.segments.at(-1);
      if (open === undefined || open.phase === 'attempt') continue;
      open.end ??= t;
      lane.segments.push({
        phase: open.phase,
        kind: 'cancelled',
        start: t,
        end: t,
        attempt: open.attempt,
        timedOut: false,
        note: open.phase === 'wait' ? 'cancelled before it started' : 'cancelled during backoff',
      });
      lane.state = 'cancelled';
    }
    this.finishedAt = t;
    this.version++;
  }

  /** How many lanes are in each state. */
  tally(): Tally {
    const tally: Tally = { waiting: 0, running: 0, backoff: 0, succeeded: 0, failed: 0, defaulted: 0, cancelled: 0 };
    for (const lane of this.lanes) tally[lane.state]++;
    return tally;
  }

  /** The largest number of attempts that were running at the same time. */
  peakConcurrency(): number {
    const intervals: [number, number][] = [];
    for (const lane of this.lanes) {
      for (const s of lane.segments) {
        if (s.phase === 'attempt') intervals.push([s.start, s.end ?? Infinity]);
      }
    }
    return peakOverlap(intervals);
  }

  private lane(index: number): Lane {
    const lane = this.lanes[index];
    if (lane === undefined) throw new RangeError(`no lane ${index}`);
    return lane;
  }

  /** Closes the open waiting/backoff segment at `t`. */
  private close(lane: Lane, t: number): void {
    const open = lane.segments.at(-1);
    if (open && open.end === undefined) open.end = t;
  }
}

function joinNote(a: string, b: string): string {
  return a && b ? `${a} · ${b}` : a || b;
}
