/**
 * Shared measuring tools for the benchmark suites. Every suite runs lf and its
 * peers in this one process (`node --expose-gc`), and the timing follows one
 * method (`measure`):
 * - contenders run in rounds; every round runs each contender once, in a
 *   freshly shuffled order (so no contender always runs after the same one);
 * - a full GC before every run;
 * - every run is timed in its own function (`timeOnce`) that drops the run's
 *   result before it returns, so what one contender made is garbage, and is
 *   collected, before the next contender starts (no GC cost carried over);
 * - against a baseline, the figure is the per-round ratio (contender / baseline
 *   in the same round: both saw the same machine load), reported as the median
 *   with min-max over the rounds.
 */
import { cpus, totalmem } from 'node:os';

/** A full GC when node runs with --expose-gc (pnpm bench does), else nothing. */
export const gc = (): void => {
  (globalThis as { gc?: () => void }).gc?.();
};

/** One measured row of a suite's table. */
export interface Row {
  name: string;
  /** Median milliseconds over the rounds. */
  ms: number;
  /** Fastest and slowest round, when the row was measured in rounds. */
  range?: readonly [min: number, max: number];
  /** Free text shown after the figures (ratios, MB, drift...). */
  note?: string;
}

/** A section of RESULTS.md: a title, a table, and what the targets were. */
export interface Section {
  title: string;
  rows: Row[];
  /**
   * Lines printed under the table. A line that states a target ends its verdict
   * with "met" or "NOT met" (any case): run.ts counts them for the summary.
   */
  verdicts: string[];
}

/** A suite module's default export. `quick` is a smaller size for smoke runs. */
export type Suite = (opts: { quick: boolean }) => Promise<Section[]>;

/** Median, fastest and slowest of a list of figures. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** What `measure` returns for one contender. */
export interface Measured extends Spread {
  /** Milliseconds of every round, in round order. */
  times: number[];
  /** Per-round `time / baseline's time in the same round`, when a baseline was named. */
  ratio?: Spread;
}

/** The median of a list of numbers (sorts it in place). */
export function middle(list: number[]): number {
  list.sort((a, b) => a - b);
  return list[Math.floor(list.length / 2)] ?? Number.NaN;
}

/** Median, min and max of a list (does not reorder it). */
export function spread(list: readonly number[]): Spread {
  const sorted = [...list].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/**
 * One timed run: GC, time `fn` to its settlement, drop its result. Its own
 * function on purpose: when it returns, nothing refers to what `fn` made (an
 * await inside a caller's loop can keep the last result alive in the caller's
 * frame into the next contender's run).
 */
async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  gc();
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Fisher-Yates, in place. */
function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

/** How `measure` runs. */
export interface MeasureOptions {
  /** Measured rounds (every contender runs once per round). */
  rounds: number;
  /** Unmeasured warm-up rounds first (JIT), shuffled like the others. Default 2. */
  warmups?: number;
  /** The contender every other is divided by, round by round. */
  baseline?: string;
}

/**
 * Runs every contender `rounds` times in shuffled, interleaved rounds (see the
 * module comment); returns each one's median/min/max ms and, with a baseline,
 * its per-round ratio to the baseline.
 */
export async function measure(
  contenders: Record<string, () => Promise<unknown>>,
  { rounds, warmups = 2, baseline }: MeasureOptions,
): Promise<Record<string, Measured>> {
  const names = Object.keys(contenders);
  if (baseline !== undefined && !names.includes(baseline)) throw new Error(`no contender named ${baseline}`);
  const times = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = -warmups; round < rounds; round++) {
    for (const name of shuffle([...names])) {
      const ms = await timeOnce(at(contenders, name));
      if (round >= 0) times.get(name)?.push(ms);
    }
  }
  const base = baseline === undefined ? undefined : times.get(baseline);
  return Object.fromEntries(
    names.map((name) => {
      const list = times.get(name) ?? [];
      const measured: Measured = { ...spread(list), times: list };
      if (base !== undefined) measured.ratio = spread(list.map((ms, i) => ms / (base[i] ?? Number.NaN)));
      return [name, measured];
    }),
  );
}

/** Median ms of each contender, measured as `measure` does (kept for suites that only need medians). */
export async function compare(contenders: Record<string, () => Promise<unknown>>, rounds = 5): Promise<Record<string, number>> {
  const measured = await measure(contenders, { rounds });
  return Object.fromEntries(Object.entries(measured).map(([name, m]) => [name, m.median]));
}

/** Runs `fn` `rounds` times (after one warm-up), each in its own timed run, and returns the median ms. */
export async function median(fn: () => Promise<unknown>, rounds = 5): Promise<number> {
  return (await measure({ fn }, { rounds, warmups: 1 })).fn?.median ?? Number.NaN;
}

/** `1.23x (1.10-1.41)`: a per-round ratio's median and range. */
export function formatRatio(r: Spread): string {
  return `${r.median.toFixed(2)}x (${r.min.toFixed(2)}-${r.max.toFixed(2)})`;
}

/**
 * A target on a per-round ratio: `label <= limit`, judged on the median round,
 * with the range shown so a reader sees how much of the spread is inside.
 */
export function ratioVerdict(label: string, r: Spread, limit: number): string {
  const inside = r.max <= limit ? 'every round inside' : r.min > limit ? 'no round inside' : 'some rounds outside';
  return `${label} <= ${limit}x: ${r.median <= limit ? 'met' : 'NOT met'} (median round ${formatRatio(r)}; ${inside})`;
}

/** Rows for a table, one per contender, with its ratio to the baseline when there is one. */
export function rowsOf(measured: Record<string, Measured>, baselineLabel = 'baseline'): Row[] {
  return Object.entries(measured).map(([name, m]) => ({
    name,
    ms: m.median,
    range: [m.min, m.max],
    ...(m.ratio === undefined ? {} : { note: `${formatRatio(m.ratio)} of the ${baselineLabel}` }),
  }));
}

/** One line describing the machine, for RESULTS.md. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}-${process.arch}`;
}

/** Formats a ratio like `3.42x`. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

/** Renders sections as markdown. */
export function toMarkdown(sections: Section[]): string {
  return sections
    .map((s) => {
      const lines = [`## ${s.title}`, '', '| contender | median ms | min-max ms | note |', '| --- | ---: | ---: | --- |'];
      for (const row of s.rows) {
        const range = row.range === undefined ? '' : `${row.range[0].toFixed(1)}-${row.range[1].toFixed(1)}`;
        lines.push(`| ${row.name} | ${row.ms.toFixed(1)} | ${range} | ${row.note ?? ''} |`);
      }
      lines.push('', ...s.verdicts.map((v) => `- ${v}`), '');
      return lines.join('\n');
    })
    .join('\n');
}

/** A measured value that must be there. */
export function at<V>(record: Record<string, V>, name: string): V {
  const value = record[name];
  if (value === undefined) throw new Error(`no measurement named ${name}`);
  return value;
}

/** 0..n-1, calling `sample` every 65536 items (to watch the heap while a consumer pulls). */
function* numbers(n: number, sample: () => void): Generator<number> {
  for (let i = 0; i < n; i++) {
    if ((i & 0xffff) === 0xffff) sample();
    yield i;
  }
}

/**
 * Peak heap growth (MB) while `run` maps a generator of `n` items: the live
 * heap (after a full GC) sampled every 65536 items pulled, minus the heap before.
 */
export async function peakHeap(n: number, run: (items: Iterable<number>) => Promise<unknown>): Promise<{ mb: number; ms: number }> {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sample = (): void => {
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used > peak) peak = used;
  };
  const start = performance.now();
  await run(numbers(n, sample));
  const ms = performance.now() - start; // includes the sampling GCs
  sample();
  return { mb: (peak - before) / 2 ** 20, ms };
}

/**
 * Measures the peak heap growth of each contender mapping an `n`-item
 * generator, `rounds` times in shuffled interleaved rounds; returns each one's median MB and ms.
 */
export async function peakHeapRuns(
  contenders: Record<string, (items: Iterable<number>) => Promise<unknown>>,
  n: number,
  rounds = 3,
): Promise<Record<string, { mb: number; ms: number }>> {
  const runs: Record<string, { mb: number; ms: number }[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const name of shuffle(Object.keys(contenders))) (runs[name] ??= []).push(await peakHeap(n, at(contenders, name)));
  }
  return Object.fromEntries(
    Object.entries(runs).map(([name, list]) => [name, { mb: middle(list.map((r) => r.mb)), ms: middle(list.map((r) => r.ms)) }]),
  );
}
