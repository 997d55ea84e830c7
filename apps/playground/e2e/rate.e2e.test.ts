import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_BOX, coord, scales, stepPoints, STRIP_BOX } from '../web/rate-chart.js';
import { checkWindows, windowSeries } from '../src/windows.js';
import type { Release } from '../src/windows.js';
import { outputDir, repoRoot, startHarness } from './harness.js';
import type { Harness, OpenPage } from './harness.js';
import type { Page } from 'playwright-core';

let harness: Harness | undefined;
let open: OpenPage;

beforeAll(async () => {
  harness = await startHarness();
  open = await harness.open('rate.html');
  await open.page.waitForSelector('#rate-snippet code:not(:empty)');
});

afterAll(async () => {
  await harness?.close();
});

interface ChartInfo {
  limit: string;
  domain: number;
  ymax: number;
  end: number;
  over: number;
  peak: number;
  points: string;
}

interface SideInfo {
  state: string;
  releases: (Release & { x: number })[];
  stripDomain: number;
  stalls: [number, number][];
  pauses: [number, number][];
  charts: ChartInfo[];
  overCounts: Record<string, number>;
}

/** Everything one side panel drew, read back from its SVG. */
async function readSide(page: Page, id: 'side-lf' | 'side-pt'): Promise<SideInfo> {
  return page.evaluate((sideId) => {
    const root = document.getElementById(sideId);
    if (root === null) throw new Error(`no #${sideId}`);
    const strip = root.querySelector<SVGElement>('[data-testid="release-strip"]');
    const range = (el: Element): [number, number] => [Number((el as SVGElement).dataset.from), Number((el as SVGElement).dataset.to)];
    return {
      state: root.dataset.state ?? '',
      releases: [...root.querySelectorAll<SVGLineElement>('[data-testid="release"]')].map((line) => ({
        index: Number(line.dataset.index),
        at: Number(line.dataset.at),
        costs: JSON.parse(line.dataset.costs ?? '{}') as Record<string, number>,
        x: Number(line.getAttribute('x1')),
      })),
      stripDomain: Number(strip?.dataset.domain),
      stalls: [...(strip?.querySelectorAll('[data-testid="stall"]') ?? [])].map(range),
      pauses: [...(strip?.querySelectorAll('[data-testid="pause"]') ?? [])].map(range),
      charts: [...root.querySelectorAll<SVGElement>('[data-testid="window-chart"]')].map((svg) => ({
        limit: svg.dataset.limit ?? '',
        domain: Number(svg.dataset.domain),
        ymax: Number(svg.dataset.ymax),
        end: Number(svg.dataset.end),
        over: Number(svg.dataset.over),
        peak: Number(svg.dataset.peak),
        points: svg.querySelector('[data-testid="window-line"]')?.getAttribute('points') ?? '',
      })),
      overCounts: Object.fromEntries(
        [...root.querySelectorAll<HTMLElement>('[data-testid="over-count"]')].map((el) => [
          el.dataset.limit ?? '',
          Number(el.dataset.over),
        ]),
      ),
    };
  }, id);
}

/** The limits the form sets, by name. */
const LIMITS = {
  tokens: { name: 'tokens', limit: 600, interval: 1000 },
  requests: { name: 'requests', limit: 10, interval: 1000 },
};

async function waitDone(page: Page): Promise<void> {
  await page.waitForFunction(() => ['done', 'failed'].includes(document.getElementById('rate-status')?.dataset.state ?? ''), undefined, {
    timeout: 90_000,
    polling: 100,
  });
}

/** Every limit holds in every trailing window, straight from the definition (no shared code). */
function windowsOverLimit(releases: Release[], name: string, limit: number, interval: number): number {
  return releases.filter((r) => {
    const sum = releases.filter((o) => o.at <= r.at && r.at - o.at < interval - 1e-6).reduce((s, o) => s + (o.costs[name] ?? 0), 0);
    return sum > limit;
  }).length;
}

/** The chart drawn for a side is the one its recorded releases give. */
function expectChartMatchesReleases(side: SideInfo): void {
  const { x: stripX } = scales(STRIP_BOX, side.stripDomain, 1);
  for (const r of side.releases) expect(r.x).toBeCloseTo(Number(coord(stripX(r.at))), 2);
  expect(side.charts.map((c) => c.limit)).toEqual(['tokens', 'requests']);
  for (const chart of side.charts) {
    const spec = LIMITS[chart.limit as keyof typeof LIMITS];
    const { x, y } = scales(CHART_BOX, chart.domain, chart.ymax);
    expect(chart.points).toBe(stepPoints(windowSeries(side.releases, spec.name, spec.interval), x, y, chart.end));
    const check = checkWindows(side.releases, spec);
    expect(chart.peak).toBe(check.peak);
    expect(chart.over).toBe(check.over);
    expect(side.overCounts[spec.name]).toBe(check.over);
    expect(chart.over).toBe(windowsOverLimit(side.releases, spec.name, spec.limit, spec.interval));
    expect(chart.ymax).toBeGreaterThan(Math.max(spec.limit, check.peak));
  }
}

describe('rate window page (real RateLimiter and p-throttle in Chromium)', () => {
  it('after a stall lf shows 0 windows over any limit, both charts match the release times recorded, screenshot (LF_UPDATE_SCREENSHOT=1 makes it docs/rate-windows.png)', async () => {
    const { page } = open;
    await page.click('#rate-run');
    await waitDone(page);
    expect(await page.locator('#rate-status').getAttribute('data-state')).toBe('done');
    const lf = await readSide(page, 'side-lf');
    const pt = await readSide(page, 'side-pt');
    for (const side of [lf, pt]) {
      expect(side.state).toBe('done');
      expect(side.releases.map((r) => r.index).sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
      // Call 12 blocked the event loop for 1.5 s, with calls let through on both sides of it.
      expect(side.stalls).toHaveLength(1);
      const [from, to] = side.stalls[0] ?? [0, 0];
      expect(to - from).toBeGreaterThanOrEqual(1500);
      expect(side.releases.some((r) => r.at < from)).toBe(true);
      expect(side.releases.some((r) => r.at > to)).toBe(true);
      expectChartMatchesReleases(side);
    }
    for (const chart of lf.charts) expect(chart.over).toBe(0);
    expect(lf.overCounts).toEqual({ tokens: 0, requests: 0 });
    // p-throttle's count is shown, not asserted: it depends on how late its timers fire.
    const ptOver = pt.charts.reduce((n, c) => n + c.over, 0);
    expect(await page.locator('#rate-status').textContent()).toContain(`lf 0, p-throttle ${String(ptOver)}`);
    await page.mouse.move(0, 0);
    const shot = `${outputDir}rate-windows.png`;
    await page.screenshot({ path: shot, fullPage: true });
    if (process.env.LF_UPDATE_SCREENSHOT === '1') copyFileSync(shot, `${repoRoot}docs/rate-windows.png`);
    expect(open.errors).toEqual([]);
  });

  it('pause(ms) holds every lf release until it ends; Settle rewrites the costs at their times; the limits still hold', async () => {
    const { page } = open;
    await page.fill('#stall-at', '-1');
    await page.fill('#calls', '24');
    await page.fill('#pause-ms', '700');
    await page.click('#rate-run');
    await page.waitForFunction(() => document.querySelectorAll('#side-lf [data-testid="release"]').length >= 5, undefined, {
      timeout: 30_000,
      polling: 20,
    });
    await page.click('#pause');
    await page.click('#settle');
    await waitDone(page);
    const lf = await readSide(page, 'side-lf');
    expect(lf.releases).toHaveLength(24);
    expect(lf.pauses).toHaveLength(1);
    const [from, to] = lf.pauses[0] ?? [0, 0];
    expect(to - from).toBeCloseTo(700, 6);
    for (const r of lf.releases) expect(r.at <= from || r.at >= to - 0.01).toBe(true);
    // Settled before the click's releases: tokens halved (used 50 %), requests kept (100 %).
    const settled = Number(await page.locator('#settle').getAttribute('data-settled'));
    expect(settled).toBeGreaterThanOrEqual(5);
    const halved = lf.releases.filter((r) => (r.costs.tokens ?? 0) <= 30);
    expect(halved.length).toBeGreaterThanOrEqual(5);
    for (const r of lf.releases) expect(r.costs.requests).toBe(1);
    expectChartMatchesReleases(lf);
    expect(lf.overCounts).toEqual({ requests: 0, tokens: 0 });
    expect(open.errors).toEqual([]);
  });
});
