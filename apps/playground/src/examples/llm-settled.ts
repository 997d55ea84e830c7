import { alcall, RateLimiter } from '@lf/async-utils';
import type { Example } from '../example.js';
import { show } from '../format.js';
import { FakeLLM, makePrompts, Refused } from '../llm/api.js';
import { reportWindows } from '../llm/check.js';
import { grantBook } from '../llm/grants.js';
import { Timeline } from '../timeline.js';
import { traced } from '../trace.js';
import { MINUTE } from './llm-limits.js';

/**
 * `settle: true`: one `{ status, value | reason }` record per prompt, in input
 * order; a refused prompt is a rejected record, not a rejected call (and is
 * not retried: `shouldRetry` knows a 400 will not change).
 */
export const llmSettled: Example = {
  id: 'llm-settled',
  title: 'LLM client: settle: true keeps every answer and every refusal',
  async run(report) {
    const limits = [
      { name: 'requests', limit: 6, interval: MINUTE },
      { name: 'tokens', limit: 2000, interval: MINUTE },
    ];
    const limiter = new RateLimiter({ limits: { requests: { limit: 6, interval: MINUTE }, tokens: { limit: 2000, interval: MINUTE } } });
    const refused = new Set([2, 5]);
    const prompts = makePrompts(6, [50, 30, 40]).map((p) => ({ ...p, refused: refused.has(p.id), cost: { tokens: p.maxTokens } }));
    const api = new FakeLLM();
    const tl = new Timeline();
    const book = grantBook(limiter, performance.now(), ['requests', 'tokens']);
    const label = (p: { id: number }) => `prompt ${String(p.id)}`;
    report.code(
      'const records = await alcall(prompts, complete, {\n' +
        '  rateLimiter: limiter, cost, maxConcurrent: 3, numRetries: 2,\n' +
        '  shouldRetry: (e) => !(e instanceof Refused),  // prompts 2 and 5 are refused (400)\n' +
        '  settle: true,\n' +
        '});',
    );
    for (const p of prompts) tl.wait(label(p));
    const complete = traced(tl, label, async (p: (typeof prompts)[number], { signal }) => (await api.complete(p, { signal })).text);
    const records = await alcall(prompts, complete, {
      rateLimiter: book.rateLimiter,
      cost: (p: (typeof prompts)[number]) => p.cost,
      maxConcurrent: 3,
      numRetries: 2,
      shouldRetry: (error: unknown) => !(error instanceof Refused),
      settle: true,
    });
    const statuses = records.map((r) => r.status);
    report.result('statuses', statuses);
    records.forEach((r, i) => {
      if (r.status === 'rejected') report.line(`prompt ${String(i + 1)}: ${show(r.reason)}`);
    });
    reportWindows(report, book.releases, limits);
    report.expectEqual(
      statuses,
      prompts.map((p) => (p.refused ? 'rejected' : 'fulfilled')),
      'statuses',
    );
    report.check(
      records.every((r, i) => (r.status === 'fulfilled' ? r.value === `answer ${String(i + 1)}` : r.reason instanceof Refused)),
      "each record holds its prompt's answer or its Refused error",
    );
    report.check(book.releases.length === prompts.length, `refusals are not retried: ${String(book.releases.length)} releases`);
    report.timeline(tl);
  },
};
