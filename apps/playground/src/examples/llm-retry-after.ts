import { alcall, RateLimiter } from '@lf/async-utils';
import type { Example } from '../example.js';
import { FakeLLM, makePrompts, RateLimited } from '../llm/api.js';
import { releaseTimes, reportWindows } from '../llm/check.js';
import { grantBook } from '../llm/grants.js';
import { Timeline } from '../timeline.js';
import { traced } from '../trace.js';
import { MINUTE } from './llm-limits.js';

/**
 * A 429 with Retry-After: the call that got it pauses the shared limiter
 * (`pause(ms)`), so no prompt at all is let through before the server's
 * time, and alcall retries that one prompt after the hint (`retryAfter`).
 */
export const llmRetryAfter: Example = {
  id: 'llm-retry-after',
  title: 'LLM client: a 429 with Retry-After pauses everyone',
  async run(report) {
    const RETRY_AFTER = 250;
    const limits = [
      { name: 'requests', limit: 10, interval: MINUTE },
      { name: 'tokens', limit: 4000, interval: MINUTE },
    ];
    const limiter = new RateLimiter({ limits: { requests: { limit: 10, interval: MINUTE }, tokens: { limit: 4000, interval: MINUTE } } });
    const prompts = makePrompts(6, [60]).map((p) => ({ ...p, cost: { tokens: p.maxTokens } }));
    const api = new FakeLLM({ throttleOnCall: 3, retryAfterMs: RETRY_AFTER });
    const origin = performance.now();
    const tl = new Timeline();
    const book = grantBook(limiter, origin, ['requests', 'tokens']);
    const label = (p: { id: number }) => `prompt ${String(p.id)}`;
    const pauses: [number, number][] = [];
    report.code(
      'await alcall(prompts, async (p, { signal }) => {\n' +
        '  try { return (await api.complete(p, { signal })).text; }\n' +
        '  catch (e) { if (e instanceof RateLimited) limiter.pause(e.retryAfterMs); throw e; }\n' +
        `}, { rateLimiter: limiter, cost, maxConcurrent: 3, numRetries: 2, retryAfter: (e) => e.retryAfterMs });  // call 3 gets 429, Retry-After ${String(RETRY_AFTER)} ms`,
    );
    for (const p of prompts) tl.wait(label(p));
    let pauseTimer: ReturnType<typeof setTimeout> | undefined;
    const complete = traced(tl, label, async (p: (typeof prompts)[number], { signal }) => {
      try {
        return (await api.complete(p, { signal })).text;
      } catch (error) {
        if (error instanceof RateLimited) {
          const at = performance.now() - origin;
          limiter.pause(error.retryAfterMs);
          pauses.push([at, at + error.retryAfterMs]);
          tl.backoff('limiter paused');
          pauseTimer = setTimeout(() => {
            tl.done('limiter paused');
            pauseTimer = undefined;
          }, error.retryAfterMs);
        }
        throw error;
      }
    });
    const results = await alcall(prompts, complete, {
      rateLimiter: book.rateLimiter,
      cost: (p) => p.cost,
      maxConcurrent: 3,
      numRetries: 2,
      retryAfter: (error) => (error instanceof RateLimited ? error.retryAfterMs : undefined),
    });
    if (pauseTimer !== undefined) {
      clearTimeout(pauseTimer);
      tl.done('limiter paused');
    }
    report.result('results', results);
    report.result('releases (ms)', releaseTimes(book.releases));
    const [from, to] = pauses[0] ?? [Number.NaN, Number.NaN];
    const inside = book.releases.filter((r) => r.at >= from && r.at < to).length;
    const after = book.releases.filter((r) => r.at >= to).map((r) => r.at);
    report.line(`paused at ${String(Math.round(from))} ms for ${String(RETRY_AFTER)} ms`);
    report.line(`releases inside the pause: ${String(inside)}`);
    report.line(`first release after it: ${after.length > 0 ? String(Math.round(Math.min(...after))) : 'none'} ms`);
    reportWindows(report, book.releases, limits);
    report.expectEqual(
      results,
      prompts.map((p) => `answer ${String(p.id)}`),
      'results',
    );
    report.check(pauses.length === 1, `one 429: ${String(pauses.length)}`);
    report.check(inside === 0, `no release inside the pause: ${String(inside)}`);
    report.check(book.releases.length === prompts.length + 1, `one release per attempt (7): ${String(book.releases.length)}`);
    report.timeline(tl);
  },
};
