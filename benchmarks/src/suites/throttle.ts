/**
 * Rate limits on real time, the server's view: every start is timed with
 * `performance.now()` inside the called function (when the "request" would
 * leave), lf against p-throttle (strict and default) and bottleneck, side by
 * side in this process.
 *
 * Release times: lf's `grant.at` (read with `performance.now()` when acquire
 * resolves, the clock its decisions use); for the others, the start of the call.
 *
 * 1. Windows exceeded after a blocked loop: the first released call blocks
 *    the event loop synchronously for 0.3x, 0.8x, 1.5x and 3x the interval;
 *    every window of the observed starts is checked (a window is the
 *    half-open [s, s + interval) opening at a start).
 * 2. Throughput on a quiet loop: a queue longer than 5 s of budget, for
 *    { limit: 10, interval: 100 } and Throttle(20); the fraction of the ideal
 *    rate (ideal: the last of the 5 s of budget starts at 4900 / 4980 ms), and
 *    what the timer lateness costs per wait.
 * 3. The old figure, 1000 acquisitions at 2 ms, reported on real starts.
 */
import Bottleneck from 'bottleneck';
import pThrottle from 'p-throttle';
import { RateLimiter, Throttle } from '@lf/throttle';
import type { Row, Section, Suite } from '../harness.js';

/** `list[i]`, or NaN past the end (keeps the arithmetic free of non-null assertions). */
const at = (list: readonly number[], i: number): number => list[i] ?? Number.NaN;
const fmt = (x: number, digits = 2): string => x.toFixed(digits);

/**
 * Runs `n` calls of `task(i, at)` through one contender; resolves when all are
 * done. `at` is the release time the limiter itself recorded, when it has one
 * (lf's `grant.at`); the others' release is when they call the function.
 */
interface Contender {
  name: string;
  run: (n: number, task: (i: number, at?: number) => void) => Promise<void>;
}

function lf(limit: number, interval: number): Contender {
  return {
    name: limit === 1 ? `lf Throttle(${interval})` : `lf RateLimiter({ limit: ${limit}, interval: ${interval} })`,
    run: async (n, task) => {
      const limiter = limit === 1 ? new Throttle(interval) : new RateLimiter({ limit, interval });
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          limiter.acquire().then((grant) => {
            task(i, grant.at);
          }),
        ),
      );
    },
  };
}

function pThrottleContender(limit: number, interval: number, strict: boolean): Contender {
  return {
    name: `p-throttle ${strict ? 'strict' : 'default'} (limit ${limit}, interval ${interval})`,
    run: async (n, task) => {
      const throttled = pThrottle({ limit, interval, strict })((i: number) => {
        task(i);
        return Promise.resolve();
      });
      await Promise.all(Array.from({ length: n }, (_, i) => throttled(i)));
    },
  };
}

/**
 * bottleneck as its docs suggest for "N per interval": a reservoir refreshed
 * every interval (a fixed window; heartbeat 5 ms so the refresh is on time),
 * or `minTime` spacing for one per period.
 */
function bottleneckContender(limit: number, interval: number): Contender {
  const options =
    limit === 1
      ? { minTime: interval }
      : { reservoir: limit, reservoirRefreshAmount: limit, reservoirRefreshInterval: interval, heartbeatInterval: 5 };
  return {
    name: limit === 1 ? `bottleneck { minTime: ${interval} }` : `bottleneck reservoir ${limit} refreshed every ${interval} ms`,
    run: async (n, task) => {
      const limiter = new Bottleneck(options);
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          limiter.schedule(() => {
            task(i);
            return Promise.resolve();
          }),
        ),
      );
      await limiter.disconnect();
    },
  };
}

function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* busy: a blocked event loop */
  }
}

/**
 * Release times (ms after issuing, sorted) of `n` calls: the limiter's own
 * record when it has one, else the moment the call starts; `during(i)` runs
 * inside call i after its time is taken.
 */
async function starts(contender: Contender, n: number, during: (i: number) => void = () => undefined): Promise<number[]> {
  const list: number[] = [];
  const t0 = performance.now();
  await contender.run(n, (i, at) => {
    list.push((at ?? performance.now()) - t0);
    during(i);
  });
  return list.sort((a, b) => a - b);
}

/** The windows [s, s + interval) opening at a start that hold more than `limit` starts, and the most any holds. */
function windows(sorted: readonly number[], limit: number, interval: number): { exceeded: number; max: number } {
  let exceeded = 0;
  let max = 0;
  let end = 0;
  for (let begin = 0; begin < sorted.length; begin++) {
    while (end < sorted.length && !(at(sorted, begin) + interval <= at(sorted, end))) end++;
    const count = end - begin;
    if (count > limit) exceeded++;
    max = Math.max(max, count);
  }
  return { exceeded, max };
}

function minGap(sorted: readonly number[]): number {
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, at(sorted, i) - at(sorted, i - 1));
  return gap;
}

const suite: Suite = async ({ quick }) => {
  const factors = quick ? [0.8, 3] : [0.3, 0.8, 1.5, 3];
  const sections: Section[] = [];

  // ---- 1. windows exceeded after a blocked loop
  {
    const limit = 5;
    const interval = quick ? 100 : 200;
    const n = 4 * limit;
    const contenders = [
      lf(limit, interval),
      pThrottleContender(limit, interval, true),
      pThrottleContender(limit, interval, false),
      bottleneckContender(limit, interval),
    ];
    const rows: Row[] = [];
    const lfExceeded: number[] = [];
    for (const contender of contenders) {
      const notes: string[] = [];
      let total = 0;
      let worst = 0;
      let ms = 0;
      for (const factor of factors) {
        const list = await starts(contender, n, (i) => {
          if (i === 0) blockFor(factor * interval);
        });
        const w = windows(list, limit, interval);
        total += w.exceeded;
        worst = Math.max(worst, w.max);
        ms += at(list, list.length - 1);
        notes.push(`${factor}x: ${w.exceeded} over (max ${w.max})`);
      }
      if (contender.name.startsWith('lf')) lfExceeded.push(total);
      rows.push({
        name: contender.name,
        ms: ms / factors.length,
        note: `windows over the limit: ${notes.join('; ')}; most starts in one window ${worst}`,
      });
    }
    const lfTotal = lfExceeded.reduce((a, b) => a + b, 0);
    sections.push({
      title: `Rate limit after a blocked loop: ${n} calls, ${limit} per ${interval} ms, the first call blocks the loop for ${factors.join(' / ')} x interval (real starts; ms = mean last start)`,
      rows,
      verdicts: [
        `Target: lf exceeds no window of ${interval} ms on the real start times, at every block length: ${lfTotal} windows over -> ${lfTotal === 0 ? 'MET' : 'NOT MET'}.`,
        'lf logs the real release times and decides the next release only after the previous one has started, so a stall delays later calls instead of letting them start late inside a window they were counted out of.',
      ],
    });
  }

  // ---- 1b. Throttle spacing after a blocked loop
  {
    const period = quick ? 50 : 100;
    const n = 8;
    const contenders = [
      lf(1, period),
      pThrottleContender(1, period, true),
      pThrottleContender(1, period, false),
      bottleneckContender(1, period),
    ];
    const rows: Row[] = [];
    let lfMin = Infinity;
    for (const contender of contenders) {
      const notes: string[] = [];
      let worst = Infinity;
      for (const factor of factors) {
        const list = await starts(contender, n, (i) => {
          if (i === 0) blockFor(factor * period);
        });
        const gap = minGap(list);
        worst = Math.min(worst, gap);
        notes.push(`${factor}x: min gap ${fmt(gap, 1)}`);
      }
      if (contender.name.startsWith('lf')) lfMin = worst;
      rows.push({ name: contender.name, ms: worst, note: `ms = smallest gap between two starts; ${notes.join('; ')}` });
    }
    sections.push({
      title: `Throttle(${period}) after a blocked loop: ${n} calls, the first blocks the loop for ${factors.join(' / ')} x period (real starts)`,
      rows,
      verdicts: [
        `Target: no two lf starts closer than ${period} ms: smallest gap ${fmt(lfMin, 3)} ms -> ${lfMin >= period ? 'MET' : 'NOT MET'}.`,
      ],
    });
  }

  // ---- 2. throughput on a quiet loop
  for (const [limit, interval] of [
    [10, 100],
    [1, 20],
  ] as const) {
    const seconds = quick ? 1 : 5;
    const batches = (seconds * 1000) / interval; // budget releases in `seconds`: one batch of `limit` per interval
    const n = batches * limit;
    const idealLast = (batches - 1) * interval;
    const contenders = [
      lf(limit, interval),
      pThrottleContender(limit, interval, true),
      pThrottleContender(limit, interval, false),
      bottleneckContender(limit, interval),
    ];
    const rows: Row[] = [];
    let lfFraction = 0;
    for (const contender of contenders) {
      const list = await starts(contender, n);
      const span = at(list, list.length - 1) - at(list, 0);
      const fraction = idealLast / span;
      const latePerWait = (span - idealLast) / (batches - 1);
      // Lateness of each wait: how much later than one interval after the previous batch a batch began.
      const waits: number[] = [];
      for (let k = 1; k < batches; k++) waits.push(at(list, k * limit) - at(list, (k - 1) * limit) - interval);
      waits.sort((x, y) => x - y);
      const median = at(waits, Math.floor(waits.length / 2));
      const p90 = at(waits, Math.floor(waits.length * 0.9));
      const w = windows(list, limit, interval);
      if (contender.name.startsWith('lf')) lfFraction = fraction;
      rows.push({
        name: contender.name,
        ms: span,
        note: `${fmt(fraction * 100, 1)}% of ideal (${n} starts over ${fmt(span, 0)} ms, ideal ${idealLast}); lateness per wait: mean ${fmt(latePerWait, 2)} ms, median ${fmt(median, 2)}, p90 ${fmt(p90, 2)} (at the median: ${fmt((interval / (interval + Math.max(0, median))) * 100, 1)}% of ideal); windows over the limit ${w.exceeded}`,
      });
    }
    sections.push({
      title: `Throughput on a quiet loop: ${limit === 1 ? `Throttle(${interval})` : `{ limit: ${limit}, interval: ${interval} }`}, ${seconds} s of budget queued at once (real starts; ms = first to last start)`,
      rows,
      verdicts: [
        `Target: lf >= 98% of the ideal rate: ${fmt(lfFraction * 100, 1)}% -> ${lfFraction >= 0.98 ? 'MET' : 'NOT MET'}.`,
        'A release can come only after the window frees AND the process wakes up; that lateness (the timer\'s, and on a loaded machine the scheduler\'s: the p90) delays the release, and on real time the next window counts from it. It is never compounded (no schedule to drift) and strict spacing cannot hide it; p-throttle and bottleneck keep their rate by catching up on their own schedule, which is where their windows over the limit come from. The figure "at the median" is the rate without the load tail.',
      ],
    });
  }

  // ---- 3. the old figure: 1000 acquisitions at 2 ms
  {
    const period = 2;
    const n = quick ? 200 : 1000;
    const ideal = (n - 1) * period;
    const contenders = [
      lf(1, period),
      pThrottleContender(1, period, true),
      pThrottleContender(1, period, false),
      bottleneckContender(1, period),
    ];
    const rows: Row[] = [];
    let lfLast = 0;
    for (const contender of contenders) {
      const list = await starts(contender, n);
      const last = at(list, list.length - 1);
      if (contender.name.startsWith('lf')) lfLast = last;
      rows.push({
        name: contender.name,
        ms: last,
        note: `${fmt((ideal / last) * 100, 1)}% of ideal ${ideal} ms; mean gap ${fmt(last / (n - 1), 3)} ms; min gap ${fmt(minGap(list), 3)} ms`,
      });
    }
    sections.push({
      title: `Throttle(${period}): ${n} acquisitions at once (real starts; ms = last start)`,
      rows,
      verdicts: [
        `Reported, not a target: lf's last start at ${fmt(lfLast, 0)} ms against the ideal ${ideal} ms. v1 showed ~${ideal} ms by keeping slots on an absolute grid and letting late ones catch up (two starts < 2 ms apart); on real time each gap is the period plus one wake-up's lateness (here ${fmt(lfLast / (n - 1) - period, 2)} ms on average), which is what a strict server sees; the others' min gap shows what catching up costs. Use a RateLimiter with limit > 1 (e.g. { limit: 10, interval: 20 }) to amortise the lateness over a batch.`,
      ],
    });
  }

  return sections;
};

export default suite;
