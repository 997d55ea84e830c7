/**
 * Draws one side of the rate window view (lf or p-throttle) as SVG: a strip
 * with a tick per release, then for each limit the cost in the trailing
 * window over time against the limit. Every drawn number comes from
 * src/windows.ts and rate-chart.ts, and every release and line carries its
 * data (data-at, data-costs, points), so the e2e test can recompute the chart.
 */
import { formatMs, ticks } from './axis.js';
import { CHART_BOX, coord, overRanges, scales, stepPoints, STRIP_BOX, yTop } from './rate-chart.js';
import type { ChartBox } from './rate-chart.js';
import type { SideRecord } from './rate-run.js';
import { checkWindows, windowSeries } from '../src/windows.js';
import type { RateLimitSpec, WindowCheck } from '../src/windows.js';

const STRIP = STRIP_BOX;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

/** Shaded bands (stalls, pauses) across a chart's plotting area. */
function bands(ranges: readonly [number, number][], x: (t: number) => number, box: ChartBox, cls: string, domain: number): string {
  return ranges
    .map(([a, b]) => {
      const x0 = x(Math.min(a, domain));
      const x1 = x(Math.min(b, domain));
      return `<rect class="${cls}" data-testid="${cls}" data-from="${String(a)}" data-to="${String(b)}" x="${coord(x0)}" y="${String(box.top)}" width="${coord(Math.max(1, x1 - x0))}" height="${String(box.height - box.top - box.bottom)}"/>`;
    })
    .join('');
}

function xAxis(domain: number, x: (t: number) => number, box: ChartBox, labels: boolean): string {
  const bottom = box.height - box.bottom;
  return ticks(domain)
    .map((t) => {
      const px = coord(x(t));
      const grid = `<line class="grid" x1="${px}" x2="${px}" y1="${String(box.top)}" y2="${String(bottom)}"/>`;
      const anchor = t === 0 ? 'start' : t >= domain - 1e-6 ? 'end' : 'middle';
      return labels
        ? `${grid}<text class="tick-label" x="${px}" y="${String(bottom + 14)}" text-anchor="${anchor}">${formatMs(t)}</text>`
        : grid;
    })
    .join('');
}

/**
 * The release strip: one tick per release at its time, with the stall and pause bands behind.
 *
 * @example
 * releaseStrip(record, 6000); // '<svg …><line data-testid="release" data-at="…" …/>…</svg>'
 */
export function releaseStrip(record: SideRecord, domain: number): string {
  const { x } = scales(STRIP, domain, 1);
  const y0 = STRIP.top;
  const y1 = STRIP.height - STRIP.bottom;
  const marks = record.releases
    .map(
      (r) =>
        `<line data-testid="release" class="release" data-index="${String(r.index)}" data-at="${String(r.at)}" data-costs="${esc(JSON.stringify(r.costs))}" x1="${coord(x(r.at))}" x2="${coord(x(r.at))}" y1="${String(y0)}" y2="${String(y1)}"/>`,
    )
    .join('');
  // Releases less than a pixel apart look like one tick: say how many.
  const bursts = new Map<number, number>();
  for (const r of record.releases) {
    const px = Math.round(x(r.at));
    bursts.set(px, (bursts.get(px) ?? 0) + 1);
  }
  const counts = [...bursts]
    .filter(([, n]) => n > 1)
    .map(([px, n]) => `<text class="burst" x="${String(px)}" y="${String(y0 - 3)}" text-anchor="middle">${String(n)}</text>`)
    .join('');
  return (
    `<svg class="strip" data-testid="release-strip" data-domain="${String(domain)}" viewBox="0 0 ${String(STRIP.width)} ${String(STRIP.height)}" preserveAspectRatio="none">` +
    bands(record.stalls, x, STRIP, 'stall', domain) +
    bands(record.pauses, x, STRIP, 'pause', domain) +
    xAxis(domain, x, STRIP, false) +
    marks +
    counts +
    `</svg>`
  );
}

/**
 * One limit's chart: the trailing-window cost (step line), the limit (dashed),
 * the stretches above it (red), stalls and pauses (bands).
 *
 * @example
 * windowChart(record, { name: 'requests', limit: 10, interval: 1000 }, 6000, 6000);
 */
export function windowChart(record: SideRecord, limit: RateLimitSpec, domain: number, end: number): { svg: string; check: WindowCheck } {
  const check = checkWindows(record.releases, limit);
  const series = windowSeries(record.releases, limit.name, limit.interval);
  const top = yTop(limit.limit, check.peak);
  const { x, y } = scales(CHART_BOX, domain, top);
  const box = CHART_BOX;
  const over = overRanges(series, limit.limit, end)
    .map(
      ([a, b]) =>
        `<rect class="over" x="${coord(x(a))}" y="${String(box.top)}" width="${coord(Math.max(1.5, x(b) - x(a)))}" height="${String(box.height - box.top - box.bottom)}"/>`,
    )
    .join('');
  const yLabels = [0, limit.limit, top]
    .map(
      (v) =>
        `<text class="y-label${v === limit.limit ? ' limit-label' : ''}" x="${String(box.left - 4)}" y="${coord(y(v) + 3.5)}" text-anchor="end">${String(v)}</text>`,
    )
    .join('');
  const svg =
    `<svg class="window-chart" data-testid="window-chart" data-limit="${esc(limit.name)}" data-domain="${String(domain)}" data-ymax="${String(top)}" data-end="${String(end)}" ` +
    `data-peak="${String(check.peak)}" data-over="${String(check.over)}" viewBox="0 0 ${String(box.width)} ${String(box.height)}" preserveAspectRatio="none">` +
    bands(record.stalls, x, box, 'stall', domain) +
    bands(record.pauses, x, box, 'pause', domain) +
    xAxis(domain, x, box, true) +
    over +
    `<line class="limit" x1="${String(box.left)}" x2="${String(box.width - box.right)}" y1="${coord(y(limit.limit))}" y2="${coord(y(limit.limit))}"/>` +
    `<polyline data-testid="window-line" class="window-line" points="${stepPoints(series, x, y, end)}"/>` +
    yLabels +
    `</svg>`;
  return { svg, check };
}

/**
 * Redraws a side panel when its record or the shared time domain moved.
 *
 * @example
 * const view = new RateSideView(document.querySelector('#side-lf')!);
 * view.render(record, limits, 6000);
 */
export class RateSideView {
  private readonly root: HTMLElement;
  private drawn = '';

  constructor(root: HTMLElement) {
    this.root = root;
  }

  /** Clears the panel. */
  clear(text: string): void {
    this.drawn = '';
    this.root.dataset.state = 'idle';
    this.root.querySelector('.side-body')?.replaceChildren();
    this.setSummary(text);
  }

  render(record: SideRecord, limits: readonly RateLimitSpec[], domain: number): WindowCheck[] {
    const end = record.finishedAt ?? performance.now() - record.origin;
    const key = `${String(record.version)}:${String(domain)}:${record.finishedAt === undefined ? String(Math.round(end / 50)) : 'end'}`;
    const charts = limits.map((limit) => windowChart(record, limit, domain, end));
    const checks = charts.map((c) => c.check);
    if (key === this.drawn) return checks;
    this.drawn = key;
    const body = this.root.querySelector('.side-body');
    if (body !== null) {
      body.innerHTML =
        `<div class="chart-title">releases <span class="muted">(one tick per call let through; a number counts a burst)</span></div>` +
        releaseStrip(record, domain) +
        charts
          .map(
            (c) =>
              `<div class="chart-title">${esc(c.check.limit.name)} <span class="muted">in any ${formatMs(c.check.limit.interval)} window · limit ${String(c.check.limit.limit)} · peak ${String(c.check.peak)}</span>` +
              `<span class="over-count" data-testid="over-count" data-limit="${esc(c.check.limit.name)}" data-over="${String(c.check.over)}">${String(c.check.over)} over the limit</span></div>` +
              c.svg,
          )
          .join('');
    }
    const over = checks.reduce((n, c) => n + c.over, 0);
    this.root.dataset.state = record.error !== undefined ? 'failed' : record.finishedAt === undefined ? 'running' : 'done';
    this.root.dataset.releases = String(record.releases.length);
    this.root.dataset.over = String(over);
    const error = record.error instanceof Error ? ` · ${record.error.name}: ${record.error.message}` : '';
    this.setSummary(
      `${String(record.releases.length)} releases · ${String(over)} ${over === 1 ? 'release' : 'releases'} in a window over its limit${record.finishedAt === undefined ? ' · running' : ''}${error}`,
    );
    return checks;
  }

  private setSummary(text: string): void {
    const summary = this.root.querySelector('.side-summary');
    if (summary !== null && summary.textContent !== text) summary.textContent = text;
  }
}
