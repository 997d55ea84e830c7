import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { examples } from './examples/index.js';
import { minStartGap } from './stats.js';

/**
 * Runs the demo the way `pnpm playground` does (`tsx src/demo.ts` in
 * apps/playground), against the BUILT workspace packages: the playground
 * imports `@lf/async-utils` through its node_modules link, so run the build
 * first (`pnpm build`; the root `pnpm test` does).
 */
const appDir = fileURLToPath(new URL('..', import.meta.url));
const umbrellaDist = fileURLToPath(new URL('../../../packages/async-utils/dist/index.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/demo.ts', ...args],
      { cwd: appDir, env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The lines printed under the heading of example `index` (1-based), up to the next heading. */
function section(stdout: string, index: number): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`== ${index}. `));
  if (start === -1) return [];
  const end = lines.findIndex((line, i) => i > start && /^== \d+\. /.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end).map((line) => line.replace(/^ {2}/, ''));
}

/** The timeline rows of a section: `label |glyphs| note`. */
function rows(lines: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of lines) {
    const match = /^(\S.*?) +\|([#.~x! ]+)\|/.exec(line);
    if (match) found.set(match[1]!, match[2]!);
  }
  return found;
}

/** The time one column of a section's timeline stands for (`1 column = 5.8ms`), in ms. */
function columnMs(lines: readonly string[]): number {
  const match = /^ *1 column = ([\d.]+)(ms|s)$/.exec(lines.find((line) => line.includes('1 column = ')) ?? '');
  if (!match) return Number.NaN;
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

describe('the terminal demo', () => {
  let run: Run;

  beforeAll(async () => {
    if (!existsSync(umbrellaDist)) {
      throw new Error(`${umbrellaDist} is missing: build the packages first (pnpm build)`);
    }
    run = await runDemo();
  }, 40_000);

  it('exits 0 with every check passed and nothing on stderr', () => {
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('all checks passed');
    expect(run.code).toBe(0);
  });

  it('prints the legend, and no colour codes when NO_COLOR is set', () => {
    expect(run.stdout).toMatch(/legend: # running {3}\. waiting.* {3}~ retry backoff {3}x failed {3}! cancelled/);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('prints a heading for every example, in order', () => {
    const headings = run.stdout.split('\n').filter((line) => line.startsWith('== '));
    expect(headings).toEqual(examples.map((example, i) => `== ${i + 1}. ${example.title} ==`));
    expect(examples).toHaveLength(13);
  });

  it('prints the results of every example', () => {
    const expected: (string | RegExp)[][] = [
      ['results: [2, 4, 6, 8, 10]'],
      ['results: [2, 4, 6, 8, 10]', 'peak concurrency: 2'],
      [/^results: \[\[2, '\d+ms'\], \[4, '\d+ms'\], \[6, '\d+ms'\], \[8, '\d+ms'\], \[10, '\d+ms'\]\]$/, /^onRetry: TimeoutError/],
      ['results: [2, 4, 6, 8, 10]', /^starts \(ms\): \[\d+, \d+, \d+, \d+, \d+\]$/], // the numbers: below
      [/^batch 1 \(at \d+ms\): \[0, 2, 4, 6\]$/, /^batch 2 .*: \[8, 10, 12, 14\]$/, /^batch 3 .*: \[16, 18\]$/],
      ['results: [2, 4, 6, 8, 10, 12, 14]', 'rejected with: Error: item 4 broke', "never started: ['item 7']"],
      ['results: [0, 2, 4, 6, 8, 10, 12, 14]', 'peak concurrency: 3'],
      ["async results: ['async result', 'async result', 'async result']", "sync results: ['sync result', 'sync result', 'sync result']"],
      ['results 1: [2, 4, 6, 8, 10]', 'results 2: [20, 40, 60]', 'results 3: [20, 40, 60]'],
      [/^batch 1 .*: \[0, 2, 4, 6, 8\]$/, /^batch 2 .*: \[10, 12, 14, 16, 18\]$/, /^batch 3 .*: \[20, 22\]$/],
      [
        'slow task: { result: undefined, cancelledCaught: true }',
        "quick task: { result: 'quick task completed', cancelledCaught: false }",
        /^failAfter: TimeoutError/,
      ],
      [/^Task was cancelled: CancelledError/, 'cancelCalled: true'],
      ["completion order: ['B', 'A', 'C']", 'rejected with: AggregateError [Error: task B failed]'],
    ];
    expected.forEach((lines, i) => {
      const printed = section(run.stdout, i + 1);
      for (const line of lines) {
        const found = printed.some((p) => (typeof line === 'string' ? p === line : line.test(p)));
        expect(found, `example ${i + 1} prints ${String(line)}`).toBe(true);
      }
    });
  });

  it('example 4 prints throttled starts at least a period apart (only the lower bound: a busy machine delays starts)', () => {
    const line = section(run.stdout, 4).find((p) => p.startsWith('starts (ms): '));
    const starts = JSON.parse(line?.slice('starts (ms): '.length) ?? 'null') as number[] | null;
    expect(starts).toHaveLength(5);
    // throttlePeriod 50, starts read inside the calls (see minStartGap), printed rounded to whole ms.
    starts!.slice(1).forEach((start, i) => {
      expect(start - starts![i]!, `start ${i + 2} - start ${i + 1}`).toBeGreaterThanOrEqual(minStartGap(50) - 1);
    });
    expect(starts![0]).toBeGreaterThanOrEqual(0);
  });

  it('draws a timeline for every example, with an axis', () => {
    for (let i = 1; i <= examples.length; i++) {
      const lines = section(run.stdout, i);
      expect(rows(lines).size, `example ${i} has timeline rows`).toBeGreaterThan(0);
      expect(
        lines.some((line) => /^ +0 +\S+(ms|s)$/.test(line)),
        `example ${i} has an axis`,
      ).toBe(true);
    }
  });

  it('draws waiting, backoff, failure and cancellation where the examples cause them', () => {
    // One column is total/48 of the run: on a busy machine the rows may begin a column
    // or two after the timeline was made (leading blanks), a late first start shows as
    // leading dots, and a backoff shorter than a column may be hidden under its 'x'.
    // The drawing must still show the order of what happened: wait, run, fail, (backoff,) run.
    const limited = rows(section(run.stdout, 2));
    expect(limited.get('item 1')).toMatch(/^ *\.*#+ +$/); // starts at once
    expect(limited.get('item 5')).toMatch(/^ *\.+#+ *$/); // waits for a slot, then runs
    const retriesSection = section(run.stdout, 3);
    const retries = rows(retriesSection);
    // The shortest backoff (30 ms) is sure to show only when it spans two columns.
    const backoff = columnMs(retriesSection) <= 15 ? '~+' : '~*';
    expect(retries.get('item 2')).toMatch(new RegExp(`^ *\\.*#+x${backoff}#+ *$`)); // fails once, backs off, succeeds
    expect(retries.get('item 4')).toMatch(new RegExp(`^ *\\.*#+x${backoff}#+x${backoff}#+ *$`)); // fails twice
    const throttled = rows(section(run.stdout, 4));
    expect(throttled.get('item 5')).toMatch(/^ *\.+#+ *$/);
    const failing = rows(section(run.stdout, 6));
    expect(failing.get('item 4')).toMatch(/x *$/);
    expect(failing.get('item 7')).toMatch(/^ *\.+! *$/); // never started
    const group = rows(section(run.stdout, 13));
    expect(group.get('task C')).toMatch(/! *$/);
  });

  it('runs only the examples named on the command line, and exits 2 for an unknown name', async () => {
    const only = await runDemo('task-group');
    expect(only.code).toBe(0);
    expect(only.stdout.split('\n').filter((line) => line.startsWith('== '))).toEqual(['== 13. TaskGroup ==']);
    const unknown = await runDemo('no-such-example');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no example matches no-such-example');
  }, 40_000);
});
