/**
 * The rate view's form: reads and writes `RateSettings` (three limit rows,
 * each on or off), and prints the lf code the run amounts to.
 */
import { DEFAULT_RATE_SETTINGS } from './rate-run.js';
import type { LimitRow, RateSettings } from './rate-run.js';

/** The form has this many limit rows; unused ones start unticked. */
export const LIMIT_ROWS = 3;

const SPARE_ROW: LimitRow = { name: 'daily', limit: 1000, interval: 60_000, costMin: 1, costMax: 1, usedPercent: 100 };

function input(form: HTMLFormElement, id: string): HTMLInputElement {
  const el = form.querySelector(`#${id}`);
  if (!(el instanceof HTMLInputElement)) throw new Error(`missing input #${id}`);
  return el;
}

/** Puts `settings` into the form (rows past its limits are filled with a spare, unticked). */
export function writeRateSettings(form: HTMLFormElement, settings: RateSettings): void {
  input(form, 'calls').value = String(settings.calls);
  input(form, 'stall-at').value = String(settings.stallAt);
  input(form, 'stall-ms').value = String(settings.stallMs);
  input(form, 'rate-seed').value = String(settings.seed);
  input(form, 'auto-settle').checked = settings.autoSettle;
  if (input(form, 'pause-ms').value === '') input(form, 'pause-ms').value = '1500';
  for (let k = 0; k < LIMIT_ROWS; k++) {
    const row = settings.limits[k];
    const shown = row ?? SPARE_ROW;
    input(form, `limit-on-${String(k)}`).checked = row !== undefined;
    input(form, `limit-name-${String(k)}`).value = shown.name;
    input(form, `limit-${String(k)}`).value = String(shown.limit);
    input(form, `interval-${String(k)}`).value = String(shown.interval);
    input(form, `cost-min-${String(k)}`).value = String(shown.costMin);
    input(form, `cost-max-${String(k)}`).value = String(shown.costMax);
    input(form, `used-${String(k)}`).value = String(shown.usedPercent);
  }
}

/**
 * Reads the form. The workload is clamped to what the page can draw; the
 * limits are passed on as typed, so a bad limit shows RateLimiter's own error.
 *
 * @example
 * const settings = readRateSettings(document.querySelector('form')!);
 */
export function readRateSettings(form: HTMLFormElement): RateSettings {
  const num = (id: string, fallback: number): number => {
    const v = input(form, id).valueAsNumber;
    return Number.isFinite(v) ? v : fallback;
  };
  const limits: LimitRow[] = [];
  for (let k = 0; k < LIMIT_ROWS; k++) {
    if (!input(form, `limit-on-${String(k)}`).checked) continue;
    limits.push({
      name: input(form, `limit-name-${String(k)}`).value.trim() || `limit${String(k)}`,
      limit: num(`limit-${String(k)}`, NaN),
      interval: num(`interval-${String(k)}`, NaN),
      costMin: Math.max(0, Math.round(num(`cost-min-${String(k)}`, 1))),
      costMax: Math.max(0, Math.round(num(`cost-max-${String(k)}`, 1))),
      usedPercent: Math.max(0, num(`used-${String(k)}`, 100)),
    });
  }
  return {
    calls: Math.min(300, Math.max(1, Math.round(num('calls', DEFAULT_RATE_SETTINGS.calls)))),
    limits,
    stallAt: Math.round(num('stall-at', -1)),
    stallMs: Math.min(10_000, Math.max(0, num('stall-ms', 0))),
    autoSettle: input(form, 'auto-settle').checked,
    seed: Math.round(num('rate-seed', 1)),
  };
}

/**
 * The lf code the run amounts to, as a user would write it.
 *
 * @example
 * rateSnippet(DEFAULT_RATE_SETTINGS); // "import { RateLimiter } from '@lf/async-utils';\n\nconst limiter = new RateLimiter({ limits: {..."
 */
export function rateSnippet(settings: RateSettings): string {
  const limits = settings.limits
    .map((r) => `    ${JSON.stringify(r.name)}: { limit: ${String(r.limit)}, interval: ${String(r.interval)} },`)
    .join('\n');
  const cost = settings.limits
    .map(
      (r) =>
        `${JSON.stringify(r.name)}: ${r.costMin === r.costMax ? String(r.costMin) : `estimate(prompt) /* ${String(r.costMin)}..${String(r.costMax)} */`}`,
    )
    .join(', ');
  const settled = settings.limits.filter((r) => r.usedPercent !== 100);
  const used = settled.map((r) => `${JSON.stringify(r.name)}: response.usage /* ${String(r.usedPercent)} % of the estimate */`).join(', ');
  return [
    "import { RateLimiter } from '@lf/async-utils';",
    '',
    'const limiter = new RateLimiter({',
    '  limits: {',
    limits,
    '  },',
    '});',
    '',
    'async function call(prompt) {',
    `  const grant = await limiter.acquire({ cost: { ${cost} } });`,
    '  const response = await send(prompt);',
    "  if (response.status === 429) limiter.pause(Number(response.headers.get('retry-after')) * 1000);",
    ...(settled.length > 0 ? [`  grant.settle({ ${used} }); // the real usage, at the grant's original time`] : []),
    '  return response;',
    '}',
  ].join('\n');
}
