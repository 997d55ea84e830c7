import { alcall, RateLimiter } from '@lf/async-utils';
import type { Example } from '../example.js';
import { FakeLLM, makePrompts } from '../llm/api.js';
import { releaseTimes, reportWindows } from '../llm/check.js';
import { grantBook } from '../llm/grants.js';
import { Timeline } from '../timeline.js';
import { traced } from '../trace.js';

/** "A minute" of the LLM scenarios, so that they run in well under a second. */
export const MINUTE = 500;

/**
 * An LLM client: requests and tokens per minute as one RateLimiter with two
 * named limits, passed as alcall's `rateLimiter`; each prompt costs its
 * estimate in tokens, and `grant.settle` books the usage the API reports,
 * which frees tokens for the prompts still waiting.
 */
export const llmLimits: Example = {
  id: 'llm-limits',
  title: 'LLM client: requests + tokens per minute, settled with the real usage',
  async run(report) {
    const limits = [
      { name: 'requests', limit: 4, interval: MINUTE },
      { name: 'tokens', limit: 1000, interval: MINUTE },
    ];
    const limiter = new RateLimiter({ limits: { requests: { limit: 4, interval: MINUTE }, tokens: { limit: 1000, interval: MINUTE } } });
    const prompts = makePrompts(8).map((p) => ({ ...p, cost: { tokens: p.maxTokens } }));
    const api = new FakeLLM();
    const tl = new Timeline();
    const book = grantBook(limiter, performance.now(), ['requests', 'tokens']);
    const label = (p: { id: number }) => `prompt ${String(p.id)}`;
    report.code(
      `const limiter = new RateLimiter({ limits: { requests: { limit: 4, interval: MINUTE }, tokens: { limit: 1000, interval: MINUTE } } });  // MINUTE = ${String(MINUTE)} ms here\n` +
        'await alcall(prompts, async (p, { signal }) => {\n' +
        '  const r = await api.complete(p, { signal });\n' +
        '  grantOf(p).settle({ tokens: r.usage.tokens });  // the estimate was p.maxTokens\n' +
        '  return r.text;\n' +
        '}, { rateLimiter: limiter, cost: (p) => ({ tokens: p.maxTokens }), maxConcurrent: 4 });',
    );
    for (const p of prompts) tl.wait(label(p));
    const complete = traced(tl, label, async (p: (typeof prompts)[number], { signal }) => {
      const r = await api.complete(p, { signal });
      book.settle(p.cost, { tokens: r.usage.tokens });
      tl.note(label(p), `${String(p.maxTokens)} -> ${String(r.usage.tokens)} tokens`);
      return r.text;
    });
    const results = await alcall(prompts, complete, { rateLimiter: book.rateLimiter, cost: (p) => p.cost, maxConcurrent: 4 });
    report.result('results', results);
    report.result('releases (ms)', releaseTimes(book.releases));
    const estimated = prompts.reduce((n, p) => n + p.maxTokens, 0);
    const used = prompts.reduce((n, p) => n + p.usedTokens, 0);
    report.line(`tokens estimated ${String(estimated)}, used ${String(used)} (settled)`);
    reportWindows(report, book.releases, limits);
    report.expectEqual(
      results,
      prompts.map((p) => `answer ${String(p.id)}`),
      'results',
    );
    report.check(book.releases.length === prompts.length, `one release per prompt: ${String(book.releases.length)}`);
    report.timeline(tl);
  },
};
