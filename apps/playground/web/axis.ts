/**
 * Time axes shared by the timeline and the rate window charts: round axis
 * lengths, tick spacing and tick labels. Pure functions, no DOM.
 */

/**
 * Picks a round axis length at or above `ms` (1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9 × 10^k).
 *
 * @example
 * niceCeil(1730); // 2000
 */
export function niceCeil(ms: number): number {
  const x = Math.max(ms, 100);
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10]) {
    if (step * power >= x) return step * power;
  }
  return 10 * power;
}

/**
 * Tick spacing for an axis of `domain` units: a 1, 2, 2.5 or 5 × 10^k step giving 4 to 10 ticks.
 *
 * @example
 * tickStep(5000); // 1000
 */
export function tickStep(domain: number): number {
  const raw = domain / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= raw) return step * power;
  }
  return 10 * power;
}

/**
 * The tick positions 0, step, 2·step, … up to `domain` (computed by multiplication, so no drift).
 *
 * @example
 * ticks(1000); // [0, 200, 400, 600, 800, 1000]
 */
export function ticks(domain: number): number[] {
  const step = tickStep(domain);
  const out: number[] = [];
  for (let i = 0; i * step <= domain + 1e-6; i++) out.push(i * step);
  return out;
}

/**
 * A tick label: milliseconds below one second, else seconds with as many
 * decimals as the value needs (up to 3): 1250 ms reads "1.25 s", never "1.3 s".
 *
 * @example
 * formatMs(1250); // '1.25 s'
 * formatMs(2000); // '2 s'
 * formatMs(250);  // '250 ms'
 */
export function formatMs(ms: number): string {
  if (ms === 0) return '0';
  if (Math.abs(ms) >= 1000) return `${String(Number((ms / 1000).toFixed(3)))} s`;
  return `${String(Math.round(ms))} ms`;
}
