/**
 * `pnpm playground`: runs every seed example of `lionfuncs.async_utils`
 * against the real lf packages and draws a timeline of each, then the
 * LLM-client scenarios (rate limits with costs, settle, a 429's pause,
 * `settle: true`, `alcallIter`; `pnpm playground llm` runs only those). Pass example ids
 * (or parts of them) to run only some: `pnpm --filter @lf/playground start retries`.
 * Exits 1 when an example's check fails, so the demo doubles as a smoke test.
 */
import process from 'node:process';
import { createPainter, shouldColor } from './ansi.js';
import { examples } from './examples/index.js';
import { llmExamples } from './examples/llm.js';
import { show } from './format.js';
import { Report } from './report.js';
import { formatMs, legend } from './timeline.js';
import type { Example } from './example.js';

const filters = process.argv.slice(2);
const pick = (list: readonly Example[]): readonly Example[] =>
  filters.length === 0 ? list : list.filter((example) => filters.some((f) => example.id.includes(f)));
const selected = pick(examples);
const scenarios = pick(llmExamples);
if (selected.length + scenarios.length === 0) {
  const ids = [...examples, ...llmExamples].map((e) => e.id);
  process.stderr.write(`no example matches ${filters.join(', ')}; ids: ${ids.join(', ')}\n`);
  process.exit(2);
}

const paint = createPainter(shouldColor(process.stdout, process.env));
const report = new Report((line) => process.stdout.write(`${line}\n`), paint);

// lf promises that nothing ever rejects unhandled: the demo checks it.
process.on('unhandledRejection', (reason) => {
  report.check(false, `unhandled rejection: ${show(reason)}`);
});

const started = performance.now();
process.stdout.write(`${paint.bold('lf playground')}: the seed examples of lionfuncs.async_utils, run on the lf packages\n`);
process.stdout.write(`legend: ${legend(paint)}\n`);
async function run(example: Example): Promise<void> {
  try {
    await example.run(report);
  } catch (error) {
    report.check(false, `${example.id} threw ${show(error)}`);
  }
}
for (const example of selected) {
  report.heading(examples.indexOf(example) + 1, example.title);
  await run(example);
}
for (const example of scenarios) {
  report.scenarioHeading(llmExamples.indexOf(example) + 1, example.title);
  await run(example);
}

const counted =
  scenarios.length > 0 ? `${selected.length} examples and ${scenarios.length} LLM-client scenarios` : `${selected.length} examples`;
process.stdout.write(`\n${counted} in ${formatMs(performance.now() - started)}\n`);
if (report.problems.length > 0) {
  process.stdout.write(paint.red(`${report.problems.length} problem(s):\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`));
  process.exitCode = 1;
} else {
  process.stdout.write(`${paint.green('all checks passed')}\n`);
}
