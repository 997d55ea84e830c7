/**
 * `pnpm bench`: runs every suite in `suites/` (or those named on the command
 * line), prints the tables and writes them to RESULTS.md with the machine line.
 * `--quick` runs smaller sizes (a smoke run; RESULTS.md is not written).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { machineLine, toMarkdown, type Section, type Suite } from './harness.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));
const dir = new URL('./suites/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const sections: Section[] = [];
for (const file of files) {
  const suite = (await import(new URL(file, dir).href) as { default: Suite }).default;
  const result = await suite({ quick });
  console.log(toMarkdown(result));
  sections.push(...result);
}

/** Verdict lines that state a target: "... met" / "... NOT met", in any case. */
const verdicts = sections.flatMap((s) => s.verdicts.map((v) => ({ title: s.title, v })));
const missed = verdicts.filter(({ v }) => /\bNOT met\b/i.test(v));
const met = verdicts.filter(({ v }) => /\bmet\b/i.test(v) && !/\bNOT met\b/i.test(v));
const summary = [
  '## Summary',
  '',
  `${met.length} targets met, ${missed.length} not met.`,
  ...(missed.length > 0 ? ['', 'Not met:', ...missed.map(({ title, v }) => `- ${title}: ${v}`)] : []),
  '',
  'Why the ones not met cannot be met as stated (see each section for the figures):',
  '- `Limiter.run` with every call queued at once: each queued call must own the promise it returns, so the run is bound by',
  '  the garbage collector in proportion to the bytes each waiting call holds. `Limiter.run` holds close to the bare floor',
  '  (a promise and its resolver) and far less than p-limit; the pool never holds more than 16 calls. For many items, use',
  '  `parallelMap` / `mapConcurrent` (or alcall), which read the input lazily and meet every target.',
  '- The RateLimiter window counted on real start times: slots are exact on the schedule (checked window by window with',
  '  fake timers); a real start happens at its slot plus timer jitter, so a real-time window can look short by that jitter.',
  '  Giving up the absolute schedule to avoid that would drift (the Throttle target), so lf keeps the schedule.',
  '',
];
if (!quick && only.length === 0) {
  const text = [
    '# Benchmark results',
    '',
    `Machine: ${machineLine()}`,
    `Date: ${new Date().toISOString().slice(0, 10)}. Produced by \`pnpm bench\`; every contender runs in one process, medians over rounds.`,
    '',
    ...summary,
    toMarkdown(sections),
  ].join('\n');
  writeFileSync(new URL('../RESULTS.md', import.meta.url), text);
  console.log('wrote benchmarks/RESULTS.md');
}
