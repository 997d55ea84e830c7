/**
 * What `pnpm playground:fleet` runs: the shared limits, the workload, and
 * when the run ends and a worker is killed. The full run ends within a
 * minute; `--quick` (or `LF_FLEET_QUICK=1`, what CI's smoke step sets) is a
 * short one with the same story.
 */

/** The demo's settings; every duration in ms. */
export interface FleetSettings {
  /** Worker processes sharing the limits. */
  readonly workers: number;
  /** The RedisRateLimiter's `requests` limit, per second. */
  readonly requestsPerSecond: number;
  /** The RedisRateLimiter's `tokens` limit, per second. */
  readonly tokensPerSecond: number;
  /** The RedisLimiter's `limit`: leases live at once, across every worker. */
  readonly concurrency: number;
  /** The RedisLimiter's `lease`. */
  readonly lease: number;
  /** Items each worker's alcall runs at once (`maxConcurrent`): more than its share, so the shared limits bind. */
  readonly perWorker: number;
  /** A request's token cost is uniform in this range. */
  readonly tokens: readonly [number, number];
  /** How long a request holds its lease, uniform in this range. */
  readonly hold: readonly [number, number];
  /** When the workers stop taking new requests, from the start. */
  readonly duration: number;
  /** When one worker is SIGKILLed, from the start. */
  readonly killAt: number;
  /** The whole demo is stopped (and fails) past this, from its launch: the bound on "ends by itself". */
  readonly hardStop: number;
}

const FULL: FleetSettings = {
  workers: 6,
  requestsPerSecond: 16,
  tokensPerSecond: 3000,
  concurrency: 8,
  lease: 2000,
  perWorker: 4,
  tokens: [60, 340],
  hold: [300, 700],
  duration: 20_000,
  killAt: 8000,
  hardStop: 55_000,
};

/**
 * The settings for this run: the full one (20 s of traffic, a kill at 8 s),
 * or with `--quick` / `LF_FLEET_QUICK=1` a short one (7 s, a kill at 2.5 s).
 *
 * @example
 * ```ts
 * const settings = fleetSettings(process.argv.slice(2), process.env);
 * ```
 */
export function fleetSettings(args: readonly string[], env: Readonly<Record<string, string | undefined>>): FleetSettings {
  const quick = args.includes('--quick') || (env.LF_FLEET_QUICK !== undefined && env.LF_FLEET_QUICK !== '' && env.LF_FLEET_QUICK !== '0');
  for (const arg of args) {
    if (arg !== '--quick') throw new TypeError(`playground:fleet: unknown argument '${arg}' (the only one is --quick)`);
  }
  return quick ? { ...FULL, duration: 7000, killAt: 2500, hardStop: 40_000 } : FULL;
}
