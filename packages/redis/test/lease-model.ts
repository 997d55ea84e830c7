/**
 * A pure TypeScript model of `RedisLimiter`'s Lua scripts
 * (src/lease-scripts.ts), written from the rules rather than from the Lua:
 * the model-based test runs random sequences through both and compares every
 * reply, and the fake-time tests of the limiter's own side use it as their
 * Redis. Times are integer µs; `now` is the server time (the model checks it
 * never goes backwards). Node only; not part of the package.
 */
export class LeaseModel {
  /** Live leases: token -> expiry (µs). */
  readonly leases = new Map<number, number>();
  #n: number | undefined;
  #now = 0;
  #pause = 0;
  /** Every message "published" on a release: how many leases it freed. */
  readonly published: number[] = [];

  /** @param uptimeUs - how long the server has been up (the restart guard reads it, in whole seconds). */
  constructor(readonly uptimeUs: () => number = () => 3_600e6) {}

  /** Forgets everything, as a restart without persistence does. */
  restart(): void {
    this.leases.clear();
    this.#n = undefined;
    this.#pause = 0;
  }

  /** Reads the clock, starts a new state when there is none, reaps; returns the last token handed out. */
  #clock(now: number, lease: number): number {
    if (now < this.#now) throw new Error(`server time went backwards: ${now} < ${this.#now}`);
    this.#now = now;
    if (this.#n === undefined) {
      this.#n = now;
      const up = Math.floor(this.uptimeUs() / 1e6) * 1e6;
      if (up < lease) this.#pause = now - up + lease;
    }
    for (const [token, expiry] of this.leases) if (expiry <= now) this.leases.delete(token);
    return this.#n;
  }

  /** Returns what LEASE_ACQUIRE returns: granted, first token, expiry, now, wake. */
  acquire(now: number, lease: number, limit: number, want: number): number[] {
    const n = this.#clock(now, lease);
    const expiry = now + lease;
    const first = n + 1;
    let granted = 0;
    if (this.#pause <= now) {
      granted = Math.max(0, Math.min(limit - this.leases.size, want));
      for (let i = 0; i < granted; i++) this.leases.set(first + i, expiry);
      this.#n = n + granted;
    }
    let wake = 0;
    if (granted < want) wake = this.#pause > now ? this.#pause : Math.min(...this.leases.values());
    return [granted, first, expiry, now, wake];
  }

  /** Returns what LEASE_RENEW returns: now, expiry, then 1 renewed | 0 lost per token. */
  renew(now: number, lease: number, tokens: readonly number[]): number[] {
    this.#clock(now, lease);
    const expiry = now + lease;
    return [
      now,
      expiry,
      ...tokens.map((token) => {
        if (!this.leases.has(token)) return 0;
        this.leases.set(token, expiry);
        return 1;
      }),
    ];
  }

  /** Returns what LEASE_RELEASE returns: how many were removed, now. */
  release(now: number, lease: number, tokens: readonly number[]): number[] {
    this.#clock(now, lease);
    let removed = 0;
    for (const token of tokens) if (this.leases.delete(token)) removed++;
    if (removed > 0) this.published.push(removed);
    return [removed, now];
  }
}
