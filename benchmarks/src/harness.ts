/**
 * Shared measuring tools for the benchmark suites: every suite runs lf and
 * its peers in this one process, several rounds each, and reports medians.
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
  /** Free text shown after the figures (ratios, MB, drift...). */
  note?: string;
}

/** A section of RESULTS.md: a title, a table, and what the targets were. */
export interface Section {
  title: string;
  rows: Row[];
  /** Lines printed under the table: targets and whether they were met. */
  verdicts: string[];
}

/** A suite module's default export. `quick` is a smaller size for smoke runs. */
export type Suite = (opts: { quick: boolean }) => Promise<Section[]>;

/** Runs `fn` `rounds` times (after one warm-up) and returns the median ms. */
export async function median(fn: () => Promise<unknown>, rounds = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    gc();
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return middle(times);
}

/** The median of a list of numbers (sorts it in place). */
export function middle(list: number[]): number {
  list.sort((a, b) => a - b);
  return list[Math.floor(list.length / 2)] ?? Number.NaN;
}

/** Median ms for several contenders measured in interleaved rounds (fairer under drift of machine load). */
export async function compare(
  contenders: Record<string, () => Promise<unknown>>,
  rounds = 5,
): Promise<Record<string, number>> {
  const entries = Object.entries(contenders).map(([name, fn]) => ({ name, fn, times: [] as number[] }));
  for (const entry of entries) await entry.fn(); // warm-up
  for (let i = 0; i < rounds; i++) {
    for (const entry of entries) {
      gc();
      const start = performance.now();
      await entry.fn();
      entry.times.push(performance.now() - start);
    }
  }
  return Object.fromEntries(entries.map((entry) => [entry.name, middle(entry.times)]));
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
      const lines = [`## ${s.title}`, '', '| contender | median ms | note |', '| --- | ---: | --- |'];
      for (const row of s.rows) lines.push(`| ${row.name} | ${row.ms.toFixed(1)} | ${row.note ?? ''} |`);
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
 * generator, `rounds` times interleaved; returns each one's median MB and ms.
 */
export async function peakHeapRuns(
  contenders: Record<string, (items: Iterable<number>) => Promise<unknown>>,
  n: number,
  rounds = 3,
): Promise<Record<string, { mb: number; ms: number }>> {
  const runs: Record<string, { mb: number; ms: number }[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(contenders)) (runs[name] ??= []).push(await peakHeap(n, run));
  }
  return Object.fromEntries(
    Object.entries(runs).map(([name, list]) => [
      name,
      { mb: middle(list.map((r) => r.mb)), ms: middle(list.map((r) => r.ms)) },
    ]),
  );
}
