/**
 * A pure TypeScript model of `RedisRateLimiter`'s Lua scripts (src/scripts.ts),
 * written from the algorithm rather than from the Lua: the model-based test
 * runs random operation sequences through both and compares every reply.
 * Times are integer µs; `now` is the server time the script reports (the
 * model checks it never goes backwards). The model keeps every entry with
 * its cost and sums windows afresh; the script keeps running totals (an
 * entry's cost is its total minus the one before it) and drops the entries
 * that left every window on its own schedule (a quarter of the shortest
 * interval apart, at most 1 s), so the two agree only if the totals do:
 * `isRecent` says for which entries settle's and cancel's "found" is fixed.
 */

interface Entry {
  readonly id: number;
  readonly at: number;
  cost: number;
}

interface LimitState {
  readonly limit: number;
  readonly interval: number;
  /** Live entries, in grant order. */
  entries: Entry[];
}

export interface ModelLimit {
  limit: number;
  /** µs */
  interval: number;
}

export class ScriptModel {
  readonly #limits: LimitState[];
  #exists = false;
  #now = 0;
  #n = 0;
  #last = 0;
  #pause = 0;
  readonly #span: number;

  constructor(
    limits: readonly ModelLimit[],
    readonly uptimeUs: () => number,
  ) {
    this.#limits = limits.map((l) => ({ limit: l.limit, interval: l.interval, entries: [] }));
    this.#span = Math.max(...limits.map((l) => l.interval));
  }

  #clock(now: number): void {
    if (now < this.#now) throw new Error(`server time went backwards: ${now} < ${this.#now}`);
    if (!this.#exists) {
      const up = Math.floor(this.uptimeUs() / 1e6) * 1e6;
      if (up < this.#span) this.#pause = now - up + this.#span;
      this.#exists = true;
    }
    this.#now = now;
  }

  /** The cost in the window ending at `slot` (entries with at > slot - interval). */
  #windowCost(state: LimitState, slot: number): number {
    let sum = 0;
    for (const e of state.entries) if (e.at > slot - state.interval) sum += e.cost;
    return sum;
  }

  acquire(now: number, costs: readonly number[]): { status: number; id: number; slot: number } {
    this.#clock(now);
    // The earliest slot, not before the latest one granted, where every limit has room.
    let slot = Math.max(now, this.#last, this.#pause);
    this.#limits.forEach((state, i) => {
      const cost = costs[i] ?? 0;
      // Walk from the newest entry back: the slot must leave out every entry
      // from the one where the newest ones (plus this cost) pass the limit.
      // (Entries that left the window, at <= now - interval, never count.)
      let sum = cost;
      for (let k = state.entries.length - 1; k >= 0; k--) {
        const e = state.entries[k];
        if (e === undefined || e.at <= now - state.interval) break;
        sum += e.cost;
        if (sum > state.limit) {
          slot = Math.max(slot, e.at + state.interval);
          break;
        }
      }
    });
    const id = ++this.#n;
    this.#limits.forEach((state, i) => state.entries.push({ id, at: slot, cost: costs[i] ?? 0 }));
    this.#last = slot;
    // The invariant the whole design is for: no window above a limit.
    for (const state of this.#limits) {
      if (this.#windowCost(state, slot) > state.limit + 1e-9) throw new Error('model overshoots: bug in the model');
    }
    return { status: slot <= now ? 0 : 1, id, slot };
  }

  /** True when entry `id` is within the shortest window of the latest server time: no script may have dropped it. */
  isRecent(id: number): boolean {
    const shortest = Math.min(...this.#limits.map((l) => l.interval));
    return this.#limits.some((l) => l.entries.some((e) => e.id === id && e.at > this.#now - shortest));
  }

  settle(id: number, costs: readonly number[]): number {
    let found = false;
    for (const [i, state] of this.#limits.entries()) {
      const e = state.entries.find((x) => x.id === id);
      if (e !== undefined) {
        e.cost = costs[i] ?? 0;
        found = true;
      }
    }
    return found ? 0 : 1;
  }

  cancel(id: number): number {
    let found = false;
    let at = -Infinity;
    for (const state of this.#limits) {
      const k = state.entries.findIndex((x) => x.id === id);
      const entry = state.entries[k];
      if (entry !== undefined) {
        found = true;
        at = entry.at;
        state.entries.splice(k, 1);
      }
    }
    if (!found) return 1;
    if (at >= this.#last) {
      this.#last = 0;
      for (const state of this.#limits) {
        const newest = state.entries[state.entries.length - 1];
        if (newest !== undefined && newest.at > this.#last) this.#last = newest.at;
      }
    }
    return 0;
  }

  pause(now: number, us: number): number {
    this.#clock(now);
    this.#pause = Math.max(this.#pause, now + us);
    return this.#pause;
  }
}
