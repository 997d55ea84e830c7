/**
 * Geometry of the rate window charts: linear scales, the trailing-window step
 * line as SVG polyline points, the stretches above a limit, and a round y axis.
 * Pure functions: the page draws with them and the e2e test recomputes the
 * drawing from the recorded release times with them.
 */
import type { WindowPoint } from '../src/windows.js';

/** A chart's box in SVG user units (px), and its plotting area inside the padding. */
export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The default chart box: room for y labels on the left and x labels below. */
export const CHART_BOX: ChartBox = { width: 520, height: 130, left: 44, right: 10, top: 10, bottom: 20 };

/** The release strip's box: ticks below, burst counts above, on the charts' time axis. */
export const STRIP_BOX: ChartBox = { ...CHART_BOX, height: 40, top: 14, bottom: 4 };

export type Scale = (v: number) => number;

/**
 * A linear map from `[d0, d1]` onto `[r0, r1]` (a zero-length domain maps to `r0`).
 *
 * @example
 * linear(0, 1000, 44, 510)(500); // 277
 */
export function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/**
 * The chart's x (time in ms, `[0, domain]`) and y (cost, `[0, yMax]`, up) scales.
 *
 * @example
 * const { x, y } = scales(CHART_BOX, 4000, 12);
 */
export function scales(box: ChartBox, domain: number, yMax: number): { x: Scale; y: Scale } {
  return {
    x: linear(0, domain, box.left, box.width - box.right),
    y: linear(0, yMax, box.height - box.bottom, box.top),
  };
}

/** A coordinate as drawn: two decimals, no trailing zeros. */
export function coord(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/**
 * The step line of a window series as SVG `points`: horizontal at each value,
 * vertical at each change, drawn until `end` ms.
 *
 * @example
 * stepPoints([{ t: 0, value: 0 }, { t: 10, value: 2 }], (t) => t, (v) => 100 - v, 20);
 * // '0,100 10,100 10,98 20,98'
 */
export function stepPoints(series: readonly WindowPoint[], x: Scale, y: Scale, end: number): string {
  const out: string[] = [];
  let previous: number | undefined;
  for (const p of series) {
    if (p.t > end) break;
    if (previous !== undefined) out.push(`${coord(x(p.t))},${coord(y(previous))}`);
    out.push(`${coord(x(p.t))},${coord(y(p.value))}`);
    previous = p.value;
  }
  if (previous !== undefined) out.push(`${coord(x(end))},${coord(y(previous))}`);
  return out.join(' ');
}

/**
 * The stretches of time during which the window holds more than `limit`, as `[from, to]` ms.
 *
 * @example
 * overRanges([{ t: 0, value: 0 }, { t: 5, value: 3 }, { t: 9, value: 1 }], 2, 20); // [[5, 9]]
 */
export function overRanges(series: readonly WindowPoint[], limit: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let from: number | undefined;
  for (const p of series) {
    if (p.value > limit + 1e-9) from ??= p.t;
    else if (from !== undefined) {
      out.push([from, p.t]);
      from = undefined;
    }
  }
  if (from !== undefined) out.push([from, Math.max(from, end)]);
  return out;
}

/**
 * A round top for the y axis: room above both the limit and the peak.
 *
 * @example
 * yTop(10, 7);  // 12
 * yTop(10, 15); // 20
 */
export function yTop(limit: number, peak: number): number {
  const x = Math.max(limit, peak) * 1.12;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (step * power >= x - 1e-9) return step * power;
  }
  return 10 * power;
}
