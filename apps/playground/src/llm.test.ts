import { describe, expect, it } from 'vitest';
import type { Example } from './example.js';
import { llmLimits, MINUTE } from './examples/llm-limits.js';
import { llmRetryAfter } from './examples/llm-retry-after.js';
import { llmSettled } from './examples/llm-settled.js';
import { llmStream } from './examples/llm-stream.js';
import { llmExamples } from './examples/llm.js';
import { Report } from './report.js';

/**
 * The LLM-client scenarios of the terminal demo, run on the packages' sources.
 * Every number is checked against the bound the scenario promises (lf's
 * guarantees), never against a literal: a loaded machine makes things later,
 * and none of these bounds may move.
 */
async function runExample(example: Example): Promise<{ lines: string[]; problems: string[] }> {
  const lines: string[] = [];
  const report = new Report((line) => lines.push(line.replace(/^ {2}/, '')));
  await example.run(report);
  return { lines, problems: report.problems };
}

function value(lines: readonly string[], label: string): string {
  const line = lines.find((l) => l.startsWith(`${label}: `));
  if (line === undefined) throw new Error(`no "${label}:" line in\n${lines.join('\n')}`);
  return line.slice(label.length + 2);
}

function numbers(text: string): number[] {
  return JSON.parse(text) as number[];
}

/** `<name> in the busiest <interval> window: <peak> (limit <limit>)` lines, parsed. */
function windows(lines: readonly string[]): Map<string, { peak: number; limit: number }> {
  const found = new Map<string, { peak: number; limit: number }>();
  for (const line of lines) {
    const match = /^(\w+) in the busiest \S+ window: (\d+(?:\.\d+)?) \(limit (\d+)\)$/.exec(line);
    if (match) found.set(match[1] ?? '', { peak: Number(match[2]), limit: Number(match[3]) });
  }
  return found;
}

/** Most releases within any `span` ms of each other (printed times are rounded to whole ms). */
function busiest(times: readonly number[], span: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j] ?? 0) - (sorted[i] ?? 0) >= span) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

function expectWithinLimits(lines: readonly string[], names: readonly string[]): void {
  const found = windows(lines);
  expect([...found.keys()]).toEqual(names);
  for (const { peak, limit } of found.values()) {
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(limit);
  }
}

/** The timeline rows: `label |glyphs| note`. */
function rows(lines: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of lines) {
    const match = /^(\S.*?) +\|([#.~x! ]+)\|/.exec(line);
    if (match) found.set(match[1] ?? '', match[2] ?? '');
  }
  return found;
}

describe('LLM-client scenarios', () => {
  it('are four, each with its own id', () => {
    expect(llmExamples.map((e) => e.id)).toEqual(['llm-limits', 'llm-retry-after', 'llm-settled', 'llm-stream']);
  });

  it('requests + tokens per minute: no window holds more than either limit, and the 5th request waits a whole minute after the 1st', async () => {
    const { lines, problems } = await runExample(llmLimits);
    expect(problems).toEqual([]);
    expect(value(lines, 'results')).toBe(
      "['answer 1', 'answer 2', 'answer 3', 'answer 4', 'answer 5', 'answer 6', 'answer 7', 'answer 8']",
    );
    const releases = numbers(value(lines, 'releases (ms)'));
    expect(releases).toHaveLength(8);
    // requests: 4 per MINUTE, so release 5 comes a MINUTE after release 1 at the earliest (1 ms of rounding).
    const sorted = [...releases].sort((a, b) => a - b);
    expect((sorted[4] ?? 0) - (sorted[0] ?? 0)).toBeGreaterThanOrEqual(MINUTE - 1);
    expect(busiest(releases, MINUTE - 1)).toBeLessThanOrEqual(4);
    expectWithinLimits(lines, ['requests', 'tokens']);
    // The usage settled is below the estimate: the settled tokens are what the window counts.
    const [, estimated, used] = /tokens estimated (\d+), used (\d+)/.exec(lines.join('\n')) ?? [];
    expect(Number(used)).toBeLessThan(Number(estimated));
    expect(rows(lines).size).toBe(8);
  });

  it('a 429 with Retry-After pauses everyone: no release inside the pause, the first after it no earlier than its end', async () => {
    const { lines, problems } = await runExample(llmRetryAfter);
    expect(problems).toEqual([]);
    const [, from, ms] = /^paused at (\d+) ms for (\d+) ms$/.exec(lines.find((l) => l.startsWith('paused at')) ?? '') ?? [];
    expect(Number(ms)).toBe(250);
    expect(value(lines, 'releases inside the pause')).toBe('0');
    const first = Number(/^(\d+) ms$/.exec(value(lines, 'first release after it'))?.[1]);
    expect(first).toBeGreaterThanOrEqual(Number(from) + 250 - 1);
    const releases = numbers(value(lines, 'releases (ms)'));
    expect(releases).toHaveLength(7); // 6 prompts + the retried one
    for (const at of releases) expect(at <= Number(from) || at >= Number(from) + 250 - 1).toBe(true); // whole ms: 1 ms of rounding
    expectWithinLimits(lines, ['requests', 'tokens']);
    // The prompt that got the 429 failed once, then ran again; the pause shows as its own row.
    const drawn = rows(lines);
    expect(drawn.get('prompt 3')).toMatch(/x[~.]*#+/);
    expect(drawn.get('limiter paused')).toMatch(/~+/);
  });

  it('settle: true resolves one record per prompt in input order; refusals are rejected records, not retried', async () => {
    const { lines, problems } = await runExample(llmSettled);
    expect(problems).toEqual([]);
    expect(value(lines, 'statuses')).toBe("['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']");
    expect(value(lines, 'prompt 2')).toMatch(/^Refused: 400 prompt 2 refused/);
    expect(value(lines, 'prompt 5')).toMatch(/^Refused: 400 prompt 5 refused/);
    expectWithinLimits(lines, ['requests', 'tokens']);
    const drawn = rows(lines);
    expect(drawn.get('prompt 2')).toMatch(/#+x *$/);
  });

  it('alcallIter streams: every answer once, the first before the last prompt finished, at most maxConcurrent at a time', async () => {
    const { lines, problems } = await runExample(llmStream);
    expect(problems).toEqual([]);
    const order = (JSON.parse(value(lines, 'completion order').replaceAll("'", '"')) as string[]).sort();
    expect(order).toEqual(Array.from({ length: 8 }, (_, i) => `answer ${String(i + 1)}`).sort());
    const arrivals = numbers(value(lines, 'arrivals (ms)'));
    expect(arrivals).toHaveLength(8);
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]).toBeGreaterThanOrEqual(arrivals[i - 1] ?? 0);
    const [, first, last] =
      /^first answer at (\d+) ms, last prompt finished at (\d+) ms$/.exec(lines.find((l) => l.startsWith('first answer')) ?? '') ?? [];
    expect(Number(first)).toBeLessThanOrEqual(Number(last));
    expect(Number(value(lines, 'peak concurrency'))).toBeLessThanOrEqual(3);
    expectWithinLimits(lines, ['requests', 'tokens']);
  });
});
