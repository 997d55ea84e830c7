import { alcallIter, RateLimiter } from '@lf/async-utils';
import type { Example } from '../example.js';
import { makePrompts, FakeLLM } from '../llm/api.js';
import { reportWindows } from '../llm/check.js';
import { grantBook } from '../llm/grants.js';
import { peakConcurrency } from '../stats.js';
import { Timeline } from '../timeline.js';
import { traced } from '../trace.js';
import { MINUTE } from './llm-limits.js';

/**
 * `alcallIter` streaming: each answer is handed over as soon as it is ready
 * (`ordered: false`: completion order), while the rest still run under the
 * same rate limit and at most `maxConcurrent` at a time.
 */
export const llmStream: Example = {
  id: 'llm-stream',
  title: 'LLM client: alcallIter streams the answers as they come',
  async run(report) {
    const limits = [
      { name: 'requests', limit: 6, interval: MINUTE },
      { name: 'tokens', limit: 3000, interval: MINUTE },
    ];
    const limiter = new RateLimiter({ limits: { requests: { limit: 6, interval: MINUTE }, tokens: { limit: 3000, interval: MINUTE } } });
    const prompts = makePrompts(8, [120, 40, 80, 30, 100, 50, 70, 20]).map((p) => ({ ...p, cost: { tokens: p.maxTokens } }));
    const api = new FakeLLM();
    const origin = performance.now();
    const tl = new Timeline();
    const book = grantBook(limiter, origin, ['requests', 'tokens']);
    const label = (p: { id: number }) => `prompt ${String(p.id)}`;
    report.code(
      'for await (const answer of alcallIter(prompts, complete, { rateLimiter: limiter, cost, maxConcurrent: 3, ordered: false })) {\n' +
        '  print(answer);  // as soon as it is ready\n' +
        '}',
    );
    for (const p of prompts) tl.wait(label(p));
    const complete = traced(tl, label, async (p: (typeof prompts)[number], { signal }) => (await api.complete(p, { signal })).text);
    const order: string[] = [];
    const arrivals: number[] = [];
    for await (const answer of alcallIter(prompts, complete, {
      rateLimiter: book.rateLimiter,
      cost: (p) => p.cost,
      maxConcurrent: 3,
      ordered: false,
    })) {
      arrivals.push(performance.now() - origin);
      order.push(answer);
    }
    const rows = tl.rows();
    const lastEnd = Math.max(...rows.flatMap((r) => r.segments.filter((s) => s.phase === 'run').map((s) => s.end)));
    const peak = peakConcurrency(rows);
    report.result('completion order', order);
    report.result('arrivals (ms)', arrivals.map(Math.round));
    report.line(
      `first answer at ${String(Math.round(arrivals[0] ?? Number.NaN))} ms, last prompt finished at ${String(Math.round(lastEnd))} ms`,
    );
    report.result('peak concurrency', peak);
    reportWindows(report, book.releases, limits);
    report.expectEqual([...order].sort(), prompts.map((p) => `answer ${String(p.id)}`).sort(), 'every prompt answered once');
    report.check(peak <= 3, `at most maxConcurrent (3) at a time: ${String(peak)}`);
    report.check((arrivals[0] ?? Infinity) < lastEnd, 'the first answer arrives before the last prompt finishes');
    report.timeline(tl);
  },
};
