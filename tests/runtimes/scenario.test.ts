import { describe, expect, it } from 'vitest';
import { run } from './scenario.mjs';

// The same scenario run.mjs runs on Node, Bun and Deno from the built
// umbrella; here '@lf/async-utils' resolves to the sources (vitest alias),
// so a broken scenario or package shows up in the ordinary unit-test run.
describe('the cross-runtime scenario', () => {
  it('passes on the sources and summarises every part', async () => {
    const summary = await run();
    expect(summary).toMatchObject({
      alcallRetries: { results: [2, 4, 6, 8, 10, 12], timeouts: ['TimeoutError'] },
      alcallAbort: { rejectedWith: 'stopped by the caller', started: 2, aborted: 2 },
      taskGroup: { errors: ['child failed'], siblingsCancelled: 2 },
      throttle: { period: 30 },
      cancelScope: { result: null, cancelledCaught: true, failAfter: 'TimeoutError' },
    });
  }, 20_000);
});
