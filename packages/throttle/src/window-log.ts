/**
 * The sliding log of one limit: the (release time, cost) of every grant still
 * inside the window, oldest first, in a growable ring buffer. For cost-1 use
 * it never holds more than `limit` entries (plus cost-0 ones).
 *
 * The window rule, exact on one clock: an entry released at `s` counts for
 * the half-open window `[s, s + interval)`. At time `t` it has left when
 * `s + interval <= t`, so two releases exactly `interval` apart are never in
 * one window. Every comparison is written as `s + interval <= t` (never
 * `t - s >= interval`, which can round differently), so the decision, the
 * timer's target and a test's check agree to the last bit.
 *
 * Each pushed entry gets the next sequence number (0, 1, 2, ...); `settle`
 * finds an entry by it, and does nothing once the entry has left the window
 * (it can no longer share a window with a future release).
 */
export class WindowLog {
  readonly limit: number;
  readonly interval: number;
  #times: number[];
  #costs: number[];
  /** Physical index of the oldest entry. */
  #head = 0;
  #size = 0;
  /** Sequence number of the oldest entry (entries older than it were pruned). */
  #base = 0;
  /** Sum of the costs in the log. */
  #sum = 0;

  constructor(limit: number, interval: number) {
    this.limit = limit;
    this.interval = interval;
    let capacity = 16;
    while (capacity < limit + 1 && capacity < 1024) capacity *= 2;
    this.#times = new Array<number>(capacity).fill(0);
    this.#costs = new Array<number>(capacity).fill(0);
  }

  /** Entries in the log (not yet pruned). */
  get size(): number {
    return this.#size;
  }

  /** Sum of the costs in the log (call `prune` first for the sum in the window at a time). */
  get sum(): number {
    return this.#sum;
  }

  /** Drops the entries that have left the window at `t` (`s + interval <= t`). */
  prune(t: number): void {
    const mask = this.#times.length - 1;
    while (this.#size > 0) {
      const i = this.#head;
      if (!((this.#times[i] ?? 0) + this.interval <= t)) break;
      this.#sum -= this.#costs[i] ?? 0;
      this.#head = (i + 1) & mask;
      this.#size--;
      this.#base++;
    }
    if (this.#size === 0) this.#sum = 0; // no float residue once empty
  }

  /**
   * The earliest time `>= t` at which `cost` fits in the window, given what is
   * logged now (prunes at `t` first). `t` itself when it fits at once; a cost
   * of 0 always fits.
   */
  freeAt(t: number, cost: number): number {
    this.prune(t);
    if (cost === 0 || this.#sum + cost <= this.limit) return t;
    const mask = this.#times.length - 1;
    let freed = 0;
    let at = t;
    for (let k = 0; k < this.#size; k++) {
      const i = (this.#head + k) & mask;
      freed += this.#costs[i] ?? 0;
      at = (this.#times[i] ?? 0) + this.interval;
      if (this.#sum - freed + cost <= this.limit) return at;
    }
    return at; // everything has left by then
  }

  /** Appends a release at `t` (non-decreasing) with `cost`; returns its sequence number. */
  push(t: number, cost: number): number {
    if (this.#size === this.#times.length) this.#grow();
    const i = (this.#head + this.#size) & (this.#times.length - 1);
    this.#times[i] = t;
    this.#costs[i] = cost;
    this.#size++;
    this.#sum += cost;
    return this.#base + this.#size - 1;
  }

  /**
   * Moves the newest entry's time up to `t` when `t` is later (never back):
   * the limiter re-stamps a release just before its continuation runs, so a
   * delay between the decision and the start (the caller's synchronous code, a
   * preempted process) cannot make two real starts closer than the window. Keeps the log sorted: no entry is newer.
   */
  restampLast(t: number): void {
    if (this.#size === 0) return;
    const i = (this.#head + this.#size - 1) & (this.#times.length - 1);
    if (t > (this.#times[i] ?? 0)) this.#times[i] = t;
  }

  /** Replaces the cost of entry `seq`; returns false when it has already left the log. */
  settle(seq: number, cost: number): boolean {
    const k = seq - this.#base;
    if (k < 0 || k >= this.#size) return false;
    const i = (this.#head + k) & (this.#times.length - 1);
    this.#sum += cost - (this.#costs[i] ?? 0);
    this.#costs[i] = cost;
    return true;
  }

  #grow(): void {
    const capacity = this.#times.length;
    const times = new Array<number>(capacity * 2).fill(0);
    const costs = new Array<number>(capacity * 2).fill(0);
    for (let k = 0; k < this.#size; k++) {
      const i = (this.#head + k) & (capacity - 1);
      times[k] = this.#times[i] ?? 0;
      costs[k] = this.#costs[i] ?? 0;
    }
    this.#times = times;
    this.#costs = costs;
    this.#head = 0;
  }
}
