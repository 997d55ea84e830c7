import { checkFunction, checkNumber, LinkedQueue, linkedController, noop, now, onAbort, setTimer } from '@lf/scope/internal';
import type { Linked } from '@lf/scope/internal';
import { readSignalOptions } from '@lf/limit/internal';
import type { RedisScripts, RedisSubscription } from './adapters.js';
import { LeaseLostError, toUnavailable } from './errors.js';
import { LEASE_ACQUIRE, LEASE_RELEASE, LEASE_RENEW, MAX_BATCH } from './lease-scripts.js';
import { micros } from './lua.js';
import { readRedisOptions } from './redis-options.js';
import type { RedisOptions } from './redis-options.js';
import { runScript, Script } from './run-script.js';

/**
 * Options of {@link RedisLimiter}: the client and key, the limit, and how
 * long a lease lives without renewal.
 *
 * @example
 * ```ts
 * const options: RedisLimiterOptions = { redis: fromIoredis(client), key: 'provider', limit: 50, lease: 10_000 };
 * ```
 * @category Limits
 */
export interface RedisLimiterOptions extends RedisOptions {
  /** How many leases may be live at once, across every process: an integer >= 1. */
  limit: number;
  /**
   * How long (ms) a lease lives on the server without renewal: a process
   * that dies frees its slots within it. Renewed every `lease / 3` while the
   * holder runs. Default 30000.
   */
  lease?: number | undefined;
}

/**
 * Options of {@link RedisLimiter.acquire} and {@link RedisLimiter.schedule}.
 *
 * @example
 * ```ts
 * const release = await limiter.acquire({ signal: AbortSignal.timeout(5000) } satisfies RedisLimiterWaitOptions);
 * ```
 * @category Limits
 */
export interface RedisLimiterWaitOptions {
  /** Aborting it while waiting removes the call from the queue and rejects it with `signal.reason`. */
  signal?: AbortSignal | undefined;
}

/**
 * What {@link RedisLimiter.schedule} hands its function.
 *
 * @example
 * ```ts
 * await limiter.schedule(({ signal }: LeaseContext) => fetch(url, { signal }));
 * ```
 * @category Limits
 */
export interface LeaseContext {
  /**
   * Aborts with a {@link LeaseLostError} when the lease cannot be kept (before
   * it can expire on the server), or with the reason of the `signal` passed
   * to `schedule`. Stop when it aborts.
   */
  readonly signal: AbortSignal;
}

/**
 * What {@link RedisLimiter.acquire} resolves: call it to give the slot back
 * (again: nothing happens). Its `signal` aborts with a {@link LeaseLostError}
 * when the lease cannot be kept.
 *
 * @example
 * ```ts
 * const release: LeaseRelease = await limiter.acquire();
 * try {
 *   await work({ signal: release.signal });
 * } finally {
 *   release();
 * }
 * ```
 * @category Limits
 */
export interface LeaseRelease {
  (): void;
  /** Aborts with a {@link LeaseLostError} when the lease cannot be kept. */
  readonly signal: AbortSignal;
}

const OWN_NAMES = ['limit', 'lease'] as const;
const DEFAULT_LEASE = 30_000;

/** A lease this process holds (granted and not released). */
interface Lease {
  /** Its fencing token on the server; `undefined` when granted fail-open (nothing recorded). */
  readonly token: number | undefined;
  /** Local time (ms) by which the server's expiry has certainly not passed: the last renewal's sending + lease. */
  deadline: number;
  state: 'held' | 'lost' | 'released';
  readonly controller: AbortController & { dispose(): void };
}

/** A waiting `acquire` of this process, in request order. */
interface Waiter extends Linked<Waiter> {
  /** Linked into the lease's signal (`schedule`'s signal); `undefined` for `acquire`. */
  readonly link: AbortSignal | undefined;
  readonly resolve: (lease: Lease) => void;
  readonly reject: (reason: unknown) => void;
  off: () => void;
  waiting: boolean;
}

const acquireScript = new Script(LEASE_ACQUIRE);
const renewScript = new Script(LEASE_RENEW);
const releaseScript = new Script(LEASE_RELEASE);

/**
 * `Limiter`'s contract across processes: at most `limit` leases are live at
 * once for every process, on every machine, that uses the same Redis and
 * `key`.
 *
 * A slot is a lease: a member of a sorted set in Redis, scored by its expiry
 * on the server's clock and named by a fencing token. While the holder runs,
 * the lease is renewed every `lease / 3`; a process that dies frees its
 * slots within `lease` ms (every script call reaps expired leases). When a
 * renewal finds the lease gone, or Redis stays unavailable until the lease
 * is about to expire (on the local clock, a quarter lease early), the
 * holder's signal aborts with a {@link LeaseLostError}, before the lease can
 * expire on the server. A release after that frees nothing that belongs to
 * someone else (fencing).
 *
 * This process's waiters queue locally, in FIFO order; only the head talks
 * to Redis, asking for as many slots as there are waiters (up to 200) in one
 * round trip. A refused head waits for a release (pub/sub, when the adapter
 * can subscribe: a hint) or, as the fallback, until the earliest lease
 * expiry, then asks again: no polling.
 *
 * Timers and the subscription exist only while this process waits or holds
 * a lease: the renewal timer keeps the process alive while a lease is held
 * (release what you acquire). No path leaves an unhandled rejection.
 *
 * @example
 * ```ts
 * const limiter = new RedisLimiter({ redis: fromIoredis(new Redis()), key: 'provider', limit: 50, lease: 10_000 });
 * const reply = await limiter.schedule(({ signal }) => fetch(url, { signal }));
 * ```
 * @category Limits
 */
export class RedisLimiter {
  readonly #redis: RedisScripts;
  readonly #keys: string[];
  readonly #channel: string;
  readonly #limitArg: string;
  readonly #leaseArg: string;
  readonly #lease: number;
  /** The local deadline's head start: a holder is stopped this long before its lease can expire. */
  readonly #margin: number;
  readonly #commandTimeout: number;
  readonly #allow: boolean;
  readonly #queue = new LinkedQueue<Waiter>();
  readonly #leases = new Set<Lease>();
  /** An acquire for the head is on the way. */
  #asking = false;
  /** A wake-up came while asking: ask again at once if refused. */
  #hinted = false;
  #cancelWake: () => void = noop;
  #cancelRenew: () => void = noop;
  #renewing = false;
  #cancelDeadline: () => void = noop;
  #subscription: RedisSubscription | undefined;
  readonly #hint = (): void => {
    if (this.#asking) this.#hinted = true;
    else this.#ask();
  };
  readonly #renewNow = (): void => {
    this.#cancelRenew = noop;
    this.#renew();
  };
  readonly #expire = (): void => {
    this.#cancelDeadline = noop;
    const time = now();
    for (const lease of this.#leases) {
      if (lease.state === 'held' && lease.token !== undefined && lease.deadline - this.#margin <= time) {
        this.#lose(lease, `Redis did not confirm the lease in time (lease ${this.#lease} ms)`);
      }
    }
    this.#armDeadline();
  };

  /**
   * @throws TypeError for an unknown option (with a suggestion), a missing or
   *   wrong `redis`, a non-string `key` or a bad `onUnavailable`; RangeError
   *   for an empty key or one with `{`/`}`, a `limit` that is not an integer
   *   >= 1, or a `lease` or `commandTimeout` not > 0.
   */
  constructor(options: RedisLimiterOptions) {
    const fnName = 'RedisLimiter';
    const { o, redis, key, commandTimeout, onUnavailable } = readRedisOptions(fnName, options, OWN_NAMES);
    const limit = checkNumber(o.limit, 'limit', { min: 1, integer: true });
    const lease = o.lease === undefined ? DEFAULT_LEASE : checkNumber(o.lease, 'lease', { min: 0, exclusiveMin: true });
    this.#redis = redis;
    this.#commandTimeout = commandTimeout;
    this.#allow = onUnavailable === 'allow';
    this.#lease = lease;
    this.#margin = lease / 4;
    this.#limitArg = String(limit);
    this.#leaseArg = micros(lease);
    this.#keys = [`lf:{${key}}:lease`, `lf:{${key}}:lease:m`];
    this.#channel = `lf:{${key}}:lease:free`;
  }

  /** Leases this process holds: granted and not released (a lost lease counts until it is released). */
  get activeCount(): number {
    return this.#leases.size;
  }

  /** `acquire`, `run` and `schedule` calls of this process waiting for a slot. */
  get pendingCount(): number {
    return this.#queue.size;
  }

  /**
   * Waits for a slot and resolves a release function (calling it again does
   * nothing); its `signal` aborts with a {@link LeaseLostError} when the
   * lease cannot be kept. Aborting `signal` while waiting removes the call
   * from the queue and rejects it with `signal.reason`.
   *
   * @throws TypeError (as a rejection) for an unknown option or a bad
   *   signal, before anything is sent. Rejects with `RedisUnavailableError`
   *   when Redis fails or is too slow (unless `onUnavailable: 'allow'`).
   * @example
   * ```ts
   * const release = await limiter.acquire({ signal });
   * try {
   *   await upload(file, { signal: release.signal });
   * } finally {
   *   release();
   * }
   * ```
   */
  acquire(options?: RedisLimiterWaitOptions): Promise<LeaseRelease> {
    let signal: AbortSignal | undefined;
    try {
      signal = readSignalOptions('RedisLimiter.acquire', options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#enqueue(signal, undefined).then((lease) => this.#releaser(lease));
  }

  /**
   * Calls `fn(...args)` once a slot is this process's, and settles like it;
   * the slot is released when `fn`'s promise settles. A sync `fn` becomes
   * async. Use `schedule` to see a lost lease.
   *
   * @throws TypeError (synchronously) when `fn` is not a function.
   * @example
   * ```ts
   * const user = await limiter.run(getUser, id);
   * ```
   */
  run<A extends unknown[], R>(fn: (...args: A) => R | PromiseLike<R>, ...args: A): Promise<Awaited<R>> {
    checkFunction(fn, 'fn');
    return this.#enqueue(undefined, undefined).then((lease) => this.#hold(lease, () => fn(...args)));
  }

  /**
   * Like `run`, with a signal and a context: while queued, aborting `signal`
   * removes the call and rejects with `signal.reason` (it never runs); once
   * started, `fn` receives `{ signal }`, which aborts with a
   * {@link LeaseLostError} when the lease cannot be kept, or when `signal`
   * aborts.
   *
   * @throws TypeError (synchronously) for a non-function `fn`, a bad
   *   `signal` or an unknown option name.
   * @example
   * ```ts
   * const page = await limiter.schedule(({ signal }) => fetch(url, { signal }), { signal: AbortSignal.timeout(30_000) });
   * ```
   */
  schedule<R>(fn: (ctx: LeaseContext) => R | PromiseLike<R>, options?: RedisLimiterWaitOptions): Promise<Awaited<R>> {
    checkFunction(fn, 'fn');
    const signal = readSignalOptions('RedisLimiter.schedule', options);
    return this.#enqueue(signal, signal).then((lease) => this.#hold(lease, () => fn({ signal: lease.controller.signal })));
  }

  #enqueue(signal: AbortSignal | undefined, link: AbortSignal | undefined): Promise<Lease> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    return new Promise<Lease>((resolve, reject) => {
      const waiter: Waiter = { link, resolve, reject, off: noop, waiting: true, prev: null, next: null };
      this.#queue.push(waiter);
      waiter.off = onAbort(signal, (reason) => {
        this.#leave(waiter);
        reject(reason);
        this.#tidy();
      });
      // A new head asks; behind a head, it waits its turn (the head's request covers it).
      if (this.#queue.head === waiter && !this.#asking) this.#ask();
    });
  }

  #leave(waiter: Waiter): void {
    if (!waiter.waiting) return;
    waiter.waiting = false;
    this.#queue.remove(waiter);
  }

  /** Asks Redis for as many slots as there are waiters (the head's request). */
  #ask(): void {
    this.#cancelWake();
    this.#cancelWake = noop;
    const want = Math.min(this.#queue.size, MAX_BATCH);
    if (want === 0) {
      this.#tidy();
      return;
    }
    const covered: Waiter[] = [];
    for (let waiter = this.#queue.head; waiter !== null && covered.length < want; waiter = waiter.next) covered.push(waiter);
    this.#asking = true;
    this.#hinted = false;
    const sent = now();
    runScript(this.#redis, acquireScript, this.#keys, [this.#leaseArg, this.#limitArg, String(want)], this.#commandTimeout, 5).then(
      (tuple) => {
        this.#answered(sent, want, tuple, covered);
      },
      (error: unknown) => {
        this.#asking = false;
        this.#unavailable(covered, error);
      },
    );
  }

  #answered(sent: number, want: number, tuple: number[], covered: readonly Waiter[]): void {
    this.#asking = false;
    const [granted = 0, first = 0, , serverNow = 0, wake = 0] = tuple;
    const deadline = sent + this.#lease;
    const local = now();
    if (local >= deadline - this.#margin) {
      // Too late to be of use: the lease would be lost at once. Give it back.
      if (granted > 0) this.#send(Array.from({ length: granted }, (_, i) => first + i));
      this.#unavailable(
        covered,
        new Error(`Redis answered after ${Math.round(local - sent)} ms, too late for a lease of ${this.#lease} ms`),
      );
      return;
    }
    const extra: number[] = [];
    for (let i = 0; i < granted; i++) {
      const waiter = this.#queue.head;
      if (waiter === null) extra.push(first + i);
      else this.#grant(waiter, first + i, deadline);
    }
    if (extra.length > 0) this.#send(extra);
    if (this.#queue.size === 0) {
      this.#tidy();
      return;
    }
    if (granted === want || this.#hinted) {
      this.#ask(); // more waiters came meanwhile, or a slot was freed while asking
      return;
    }
    // Refused: wait for a release (pub/sub hint) or, at the latest, the earliest expiry.
    this.#subscribe();
    const delay = Math.max(0, (wake - serverNow) / 1000) + 1;
    this.#cancelWake = setTimer(delay, this.#hint);
  }

  /** Redis failed or was too slow for the waiters the request was for. */
  #unavailable(covered: readonly Waiter[], error: unknown): void {
    const failure = this.#allow ? undefined : toUnavailable(error);
    for (const waiter of covered) {
      if (!waiter.waiting) continue;
      if (failure === undefined) {
        this.#grant(waiter, undefined, Infinity); // fail-open: unrecorded, never renewed
      } else {
        this.#leave(waiter);
        waiter.off();
        waiter.reject(failure);
      }
    }
    if (this.#queue.size > 0) this.#ask();
    else this.#tidy();
  }

  #grant(waiter: Waiter, token: number | undefined, deadline: number): void {
    this.#leave(waiter);
    waiter.off();
    const lease: Lease = { token, deadline, state: 'held', controller: linkedController(waiter.link) };
    this.#leases.add(lease);
    if (token !== undefined) {
      this.#scheduleRenew(this.#lease / 3);
      this.#armDeadline();
    }
    waiter.resolve(lease);
  }

  #releaser(lease: Lease): LeaseRelease {
    const release = (): void => {
      this.#release(lease);
    };
    return Object.defineProperty(release, 'signal', { value: lease.controller.signal, enumerable: true }) as LeaseRelease;
  }

  /** Runs `call` holding `lease`, and releases it when `call` settles. */
  #hold<R>(lease: Lease, call: () => R | PromiseLike<R>): Promise<Awaited<R>> {
    let result: R | PromiseLike<R>;
    try {
      result = call();
    } catch (error) {
      this.#release(lease);
      return Promise.reject(error);
    }
    return Promise.resolve(result).then(
      (value) => {
        this.#release(lease);
        return value;
      },
      (error: unknown) => {
        this.#release(lease);
        throw error;
      },
    );
  }

  #release(lease: Lease): void {
    if (lease.state === 'released') return;
    lease.state = 'released';
    this.#leases.delete(lease);
    lease.controller.dispose();
    if (lease.token !== undefined) this.#send([lease.token]);
    this.#armDeadline();
    this.#tidy();
  }

  /** Releases `tokens` on the server (fenced: a token that is gone frees nothing), then wakes the head. */
  #send(tokens: readonly number[]): void {
    const args = [this.#leaseArg, this.#channel, ...tokens.map(String)];
    runScript(this.#redis, releaseScript, this.#keys, args, this.#commandTimeout).then(() => {
      if (this.#queue.size > 0) this.#hint();
    }, noop);
  }

  #scheduleRenew(delay: number): void {
    if (this.#renewing || this.#cancelRenew !== noop) return;
    this.#cancelRenew = setTimer(delay, this.#renewNow);
  }

  /** Renews every held lease in one round trip. */
  #renew(): void {
    const held: Lease[] = [];
    for (const lease of this.#leases) if (lease.state === 'held' && lease.token !== undefined) held.push(lease);
    if (held.length === 0) return;
    this.#renewing = true;
    const sent = now();
    const args = [this.#leaseArg, ...held.map((lease) => String(lease.token))];
    runScript(this.#redis, renewScript, this.#keys, args, this.#commandTimeout, 2 + held.length).then(
      (tuple) => {
        this.#renewing = false;
        held.forEach((lease, i) => {
          if (lease.state !== 'held') return;
          if (tuple[2 + i] === 1) lease.deadline = sent + this.#lease;
          else this.#lose(lease, 'the lease was gone when it was renewed (it expired, or Redis lost its state)');
        });
        this.#armDeadline();
        if (this.#holding()) this.#scheduleRenew(Math.max(0, sent + this.#lease / 3 - now()));
      },
      () => {
        // Unavailable: try again soon; the local deadline stops the holders in time.
        this.#renewing = false;
        if (this.#holding()) this.#scheduleRenew(this.#lease / 12);
      },
    );
  }

  /** A lease of this process is held and recorded on the server (it needs renewing). */
  #holding(): boolean {
    for (const lease of this.#leases) if (lease.state === 'held' && lease.token !== undefined) return true;
    return false;
  }

  #lose(lease: Lease, why: string): void {
    lease.state = 'lost';
    lease.controller.abort(new LeaseLostError(`RedisLimiter: lease lost: ${why}`));
  }

  /**
   * One timer at the earliest local deadline (minus the margin) of the held
   * leases. Not under `onUnavailable: 'allow'`: there, Redis being away never
   * stops a holder (only a renewal that finds the lease gone does).
   */
  #armDeadline(): void {
    this.#cancelDeadline();
    this.#cancelDeadline = noop;
    if (this.#allow) return;
    let earliest = Infinity;
    for (const lease of this.#leases) if (lease.state === 'held' && lease.deadline < earliest) earliest = lease.deadline;
    if (earliest === Infinity) return;
    this.#cancelDeadline = setTimer(Math.max(0, earliest - this.#margin - now()), this.#expire);
  }

  /** Subscribes to the release channel (once; when the adapter can), then asks again (a release may have come meanwhile). */
  #subscribe(): void {
    if (this.#subscription !== undefined || this.#redis.subscribe === undefined) return;
    let subscription: RedisSubscription;
    try {
      subscription = this.#redis.subscribe(this.#channel, this.#hint);
    } catch {
      return; // a custom adapter that cannot subscribe now: the expiry timer wakes the head
    }
    this.#subscription = subscription;
    subscription.ready.then(
      () => {
        if (this.#subscription === subscription && this.#queue.size > 0) this.#hint();
      },
      () => {
        if (this.#subscription !== subscription) return;
        this.#subscription = undefined; // the next wait tries again
        subscription.end();
      },
    );
  }

  /** Once nobody waits: no wake timer; once nobody waits or holds: no renewal, no subscription. */
  #tidy(): void {
    if (this.#queue.size > 0) return;
    this.#cancelWake();
    this.#cancelWake = noop;
    if (!this.#holding()) {
      this.#cancelRenew();
      this.#cancelRenew = noop;
    }
    if (this.#leases.size > 0) return;
    const subscription = this.#subscription;
    if (subscription === undefined) return;
    this.#subscription = undefined;
    subscription.end();
  }
}
