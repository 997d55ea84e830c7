import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputDir, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let harness: Harness | undefined;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('runtime smoke in Chromium', () => {
  it('tests/runtimes/scenario.mjs (importing only the built @lf/async-utils) reports ok in the browser', async () => {
    if (harness === undefined) throw new Error('harness did not start');
    const { page, errors } = await harness.open('runtime.html');
    await page.waitForFunction(() => document.getElementById('runtime-status')?.dataset.status !== 'running', undefined, {
      timeout: 60_000,
      polling: 50,
    });
    const status = await page.getAttribute('#runtime-status', 'data-status');
    const detail = await page.textContent('#runtime-result');
    await page.screenshot({ path: `${outputDir}runtime.png` });
    // The detail carries the scenario's error (or its summary), so a failure explains itself.
    expect({ status, detail }).toMatchObject({ status: 'ok' });
    expect(detail).not.toBe('');
    expect(errors).toEqual([]);
  });
});
