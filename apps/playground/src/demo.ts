/**
 * `pnpm playground`: runs every seed example of `lionfuncs.async_utils`
 * against the real lf packages and draws a timeline of each. Pass example ids
 * (or parts of them) to run only some: `pnpm --filter @lf/playground start retries`.
 * Exits 1 when an example's check fails, so the demo doubles as a smoke test.
 */
import process from 'node:process';
import { createPainter, shouldColor } from './ansi.js';
import { examples } from './examples/index.js';
import { show } from './format.js';
import { Report } from './report.js';
import { formatMs, legend } from './timeline.js';

const filters = process.argv.slice(2);
const selected = filters.length === 0 ? examples : examples.filter((example) => filters.some((f) => example.id.includes(f)));
if (selected.length === 0) {
  process.stderr.write(`no example matches ${filters.join(', ')}; ids: ${examples.map((e) => e.id).join(', ')}\n`);
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
for (const example of selected) {
  report.heading(examples.indexOf(example) + 1, example.title);
  try {
    await example.run(report);
  } catch (error) {
    report.check(false, `${example.id} threw ${show(error)}`);
  }
}

process.stdout.write(`\n${selected.length} examples in ${formatMs(performance.now() - started)}\n`);
if (report.problems.length > 0) {
  process.stdout.write(paint.red(`${report.problems.length} problem(s):\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`));
  process.exitCode = 1;
} else {
  process.stdout.write(`${paint.green('all checks passed')}\n`);
}
