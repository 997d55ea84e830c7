/**
 * `pnpm bench`: runs every suite in `suites/` (or those named on the command
 * line), prints the tables and a summary of the targets met / not met.
 * `--write` also writes them to benchmarks/RESULTS.md (a full run only);
 * `--quick` runs smaller sizes (a smoke run).
 *
 *   pnpm bench                 print everything
 *   pnpm bench --write         print and write RESULTS.md (`pnpm bench -- --write` works too)
 *   pnpm bench limit --quick   print a smoke run of the suites whose file name contains "limit"
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { machineLine, toMarkdown, type Section, type Suite } from './harness.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const known = new Set(['--quick', '--write']);
const unknown = args.filter((a) => a.startsWith('--') && !known.has(a));
if (unknown.length > 0) {
  console.error(`bench: unknown flag ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  process.exit(2);
}
const quick = args.includes('--quick');
const write = args.includes('--write');
const only = args.filter((a) => !a.startsWith('--'));
if (write && (quick || only.length > 0)) {
  console.error('bench: --write records a full run only (no --quick, no suite names)');
  process.exit(2);
}
if ((globalThis as { gc?: unknown }).gc === undefined) console.warn('bench: no --expose-gc, runs are not preceded by a full GC');

const dir = new URL('./suites/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

/** The 1-minute load average: other work on the machine widens every range. */
const load = (): string => loadavg()[0]?.toFixed(1) ?? '?';
const loadAtStart = load();
const sections: Section[] = [];
for (const file of files) {
  const suite = ((await import(new URL(file, dir).href)) as { default: Suite }).default;
  const result = await suite({ quick });
  console.log(toMarkdown(result));
  sections.push(...result);
}

/** A verdict line states a target when its verdict says "met" or "NOT met" (any case). */
const targets = sections.flatMap((s) => s.verdicts.filter((v) => /\bmet\b/i.test(v)).map((v) => ({ title: s.title, v })));
const missed = targets.filter(({ v }) => /\bNOT met\b/i.test(v));
const met = targets.filter(({ v }) => !/\bNOT met\b/i.test(v));
const summary = [
  '## Summary',
  '',
  `${met.length} targets met, ${missed.length} not met.`,
  ...(missed.length > 0 ? ['', 'Not met:', ...missed.map(({ title, v }) => `- ${title}: ${v}`)] : []),
  ...(met.length > 0 ? ['', 'Met:', ...met.map(({ title, v }) => `- ${title}: ${v}`)] : []),
  '',
].join('\n');
console.log(summary);

/** The commit measured, and whether the tree had uncommitted changes then. */
function revision(): string {
  try {
    const git = (...a: string[]): string => execFileSync('git', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', '../packages').length > 0;
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (packages/ had uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

if (write) {
  const text = [
    '# Benchmark results',
    '',
    `Machine: ${machineLine()}; load average ${loadAtStart} at the start, ${load()} at the end (other work widens the ranges).`,
    `Date: ${new Date().toISOString().slice(0, 10)}, commit ${revision()}. Produced by \`pnpm bench --write\`.`,
    'Every contender runs in one process, in shuffled interleaved rounds, a full GC before each run, each run timed',
    'in its own function; ratios are per round (contender / baseline in the same round), shown as median (min-max).',
    '',
    "Redis-backed limiters (`@lf/redis`: `RedisRateLimiter` against rate-limiter-flexible and bottleneck's clustering, `RedisLimiter` against bottleneck's clustered `maxConcurrent`) are measured apart, across processes on a real redis-server: `pnpm bench:redis --write` writes [REDIS-RESULTS.md](REDIS-RESULTS.md).",
    '',
    summary,
    toMarkdown(sections),
  ].join('\n');
  writeFileSync(new URL('../RESULTS.md', import.meta.url), text);
  console.log('wrote benchmarks/RESULTS.md');
} else if (!quick && only.length === 0) {
  console.log('(benchmarks/RESULTS.md not written: pass --write to record this run)');
}
