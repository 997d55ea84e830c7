/**
 * What the fleet demo counts, second by second, from the workers' reports:
 * requests granted and their tokens (by `grant.at`, the Redis server's
 * clock) and the most leases held at once (by in/out counting in a Redis
 * key: each holder's INCR returns how many hold one, itself included).
 * Pure data: the demo draws it, its test checks it.
 */

/** One second of the run. */
export interface FleetSecond {
  /** 0 for the first second of the run. */
  readonly second: number;
  /** Requests granted in this second (the `requests` limit's cost). */
  readonly starts: number;
  /** Tokens granted in this second. */
  readonly tokens: number;
  /** The most leases held at once in this second, by in/out counting. */
  readonly leases: number;
}

/**
 * Buckets grants and in-counts into whole seconds from a start time.
 *
 * @example
 * ```ts
 * const tally = new FleetTally(t0);
 * tally.grant(t0 + 250, 120);
 * tally.holders(t0 + 300, 3);
 * tally.second(0); // { second: 0, starts: 1, tokens: 120, leases: 3 }
 * ```
 */
export class FleetTally {
  readonly #start: number;
  readonly #starts: number[] = [];
  readonly #tokens: number[] = [];
  readonly #leases: number[] = [];
  #maxLeases = 0;

  /** `start`: the run's first instant, ms (server clock for grants and local clock for holders are the same on one machine). */
  constructor(start: number) {
    this.#start = start;
  }

  #bin(t: number): number | undefined {
    const k = Math.floor((t - this.#start) / 1000);
    return k >= 0 ? k : undefined;
  }

  /** A request granted at `at` (grant.at) costing `tokens`. */
  grant(at: number, tokens: number): void {
    const k = this.#bin(at);
    if (k === undefined) return;
    this.#starts[k] = (this.#starts[k] ?? 0) + 1;
    this.#tokens[k] = (this.#tokens[k] ?? 0) + tokens;
  }

  /** At `t`, a holder counted itself in and `count` held a lease (its INCR's reply). */
  holders(t: number, count: number): void {
    const k = this.#bin(t);
    if (k === undefined) return;
    this.#leases[k] = Math.max(this.#leases[k] ?? 0, count);
    this.#maxLeases = Math.max(this.#maxLeases, count);
  }

  /** The totals of second `k`. */
  second(k: number): FleetSecond {
    return { second: k, starts: this.#starts[k] ?? 0, tokens: this.#tokens[k] ?? 0, leases: this.#leases[k] ?? 0 };
  }

  /** The most leases any holder saw held at once, over the whole run. */
  get maxLeases(): number {
    return this.#maxLeases;
  }
}
