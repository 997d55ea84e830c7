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

if (!quick && only.length === 0) {
  const text = [
    '# Benchmark results',
    '',
    `Machine: ${machineLine()}`,
    `Date: ${new Date().toISOString().slice(0, 10)}. Produced by \`pnpm bench\`; every contender runs in one process, medians over rounds.`,
    '',
    toMarkdown(sections),
  ].join('\n');
  writeFileSync(new URL('../RESULTS.md', import.meta.url), text);
  console.log('wrote benchmarks/RESULTS.md');
}
