import { checkFunction, checkNumber, checkSignal, LinkedQueue, noop, now, onAbort, readOptions, setTimer } from '@lf/scope/internal';
import type { Linked } from '@lf/scope/internal';
import { parseCost, parseLimits } from '@lf/throttle/internal';
import type { Cost, Grant, NamedLimits, RateLimit } from '@lf/throttle/internal';
import type { RedisScripts } from './adapters.js';
import { toUnavailable } from './errors.js';
import { readRedisOptions } from './redis-options.js';
import type { RedisOptions } from './redis-options.js';
import { micros } from './lua.js';
import { CommandTimer, runScript, Script } from './run-script.js';
import { ACQUIRE, CANCEL, CONFIRM, PAUSE, SETTLE } from './scripts.js';

/**
 * Options of {@link RedisRateLimiter}: the client and key, and one limit
 * (`limit`, `interval`) or several named ones (`limits`), as `RateLimiter`'s.
 *
 * @example
 * ```ts
 * const options: RedisRateLimiterOptions = {
 *   redis: fromIoredis(client), key: 'openai',
 *   limits: { requests: { limit: 500, interval: 60_000 }, tokens: { limit: 200_000, interval: 60_000 } },
 * };
 * ```
 * @category Limits
 */
export type RedisRateLimiterOptions = RedisOptions &
  ((RateLimit & { limits?: undefined }) | { limits: Readonly<Record<string, RateLimit>>; limit?: undefined; interval?: undefined });

/**
 * Options of {@link RedisRateLimiter.acquire} and {@link RedisRateLimiter.call}.
 *
 * @example
 * ```ts
 * await limiter.acquire({ signal: AbortSignal.timeout(5000), cost: { tokens: 1200 } } satisfies RedisAcquireOptions);
 * ```
 * @category Limits
 */
export interface RedisAcquireOptions {
  /** Abort the wait: the call rejects with `signal.reason` and its reserved slot is given back. */
  signal?: AbortSignal | undefined;
  /** What the call counts: a number for every limit, or a record by limit name (left out: 1). Default 1. */
  cost?: Cost | undefined;
}

/**
 * Options of {@link RedisRateLimiter.wrap}.
 *
 * @example
 * ```ts
 * const chat = limiter.wrap(complete, { cost: (prompt: string) => ({ tokens: estimate(prompt) }) } satisfies RedisWrapOptions<typeof complete>);
 * ```
 * @category Limits
 */
export interface RedisWrapOptions<F extends (...args: never[]) => unknown> {
  /** The cost of one call, from its arguments. Default 1. */
  cost?: ((...args: Parameters<F>) => Cost) | undefined;
}

const ACQUIRE_NAMES = ['signal', 'cost'] as const;

/** A waiting `acquire()` of this process, in request order. */
interface Waiter extends Linked<Waiter> {
  /**
   * 'sent': its request is on the way; 'reserved': it has a future slot and
   * sleeps until it; 'confirming': its slot has come and it checks that the
   * state it was granted in survived; 'ready': it may start; 'gone': served,
   * aborted or failed.
   */
  state: 'sent' | 'reserved' | 'confirming' | 'ready' | 'gone';
  /** What it costs per limit (kept to ask again when a restart voided its reservation). */
  readonly costs: readonly number[];
  /** The epoch of the state its reservation was granted in. */
  epoch: number;
  /** When it may start, on the local clock (ms). */
  due: number;
  grant: Grant | undefined;
  /** The grant's id on the server, once it has one. */
  id: number | undefined;
  readonly resolve: (grant: Grant) => void;
  readonly reject: (reason: unknown) => void;
  off: () => void;
}

const acquireScript = new Script(ACQUIRE);
const settleScript = new Script(SETTLE);
const cancelScript = new Script(CANCEL);
const pauseScript = new Script(PAUSE);
const confirmScript = new Script(CONFIRM);

/**
 * `RateLimiter`'s contract across processes: for each limit, the costs
 * granted in ANY window of `interval` ms, by `grant.at` on the Redis
 * server's clock, sum to at most `limit`, for every process on every machine
 * that uses the same Redis and `key`.
 *
 * Each `acquire` is one Lua script, one round trip: the script reads the
 * server's clock (`TIME`, never backwards), and grants the earliest slot every
 * limit allows, all limits at once or none. A slot in the future is a
 * reservation: this process sleeps until it (no polling), and an abort before
 * then gives it back. Clock skew between clients changes nothing.
 * Waiters of one process are released in FIFO order; no timer is left once
 * nobody waits; every failure settles the call (no unhandled rejection).
 *
 * All processes sharing a `key` must use the same limits.
 *
 * @example
 * ```ts
 * const limiter = new RedisRateLimiter({ redis: fromIoredis(new Redis()), key: 'github', limit: 5000, interval: 3_600_000 });
 * const repo = await limiter.call(() => octokit.repos.get({ owner, repo }));
 * ```
 * @category Limits
 */
export class RedisRateLimiter {
  readonly #redis: RedisScripts;
  readonly #named: NamedLimits;
  /** The limits as the scripts take them: a key tag and the numbers as arguments (µs for the interval). */
  readonly #limits: readonly { readonly tag: string; readonly limitArg: string; readonly intervalArg: string }[];
  /** Times every command (`commandTimeout`) with one timer. */
  readonly #commandTimeout: CommandTimer;
  readonly #allow: boolean;
  readonly #keys: string[];
  /** acquire's ARGV after the cost-independent head: per limit tag, limit, interval. */
  readonly #span: string;
  readonly #queue = new LinkedQueue<Waiter>();
  #cancelTimer: () => void = noop;
  /** How many waiters hold a reservation and sleep until its slot (none: no slot to watch). */
  #reserved = 0;
  /** Server clock minus local clock (ms), from the latest reply: `grant.at` under fail-open. */
  #offset = 0;
  readonly #fire = (): void => {
    this.#cancelTimer = noop;
    this.#pump();
  };

  /**
   * @throws TypeError for an unknown option, a missing or wrong `redis`, a
   *   non-string `key` or a bad `onUnavailable`; RangeError for an empty key or
   *   one with `{`/`}`, or a limit, interval or `commandTimeout` not > 0.
   */
  constructor(options: RedisRateLimiterOptions) {
    const fnName = 'RedisRateLimiter';
    const { o, redis, key, commandTimeout, onUnavailable } = readRedisOptions(fnName, options, ['limit', 'interval', 'limits']);
    this.#named = parseLimits(fnName, { limit: o.limit, interval: o.interval, limits: o.limits });
    this.#redis = redis;
    this.#commandTimeout = new CommandTimer(commandTimeout);
    this.#allow = onUnavailable === 'allow';
    const prefix = `lf:{${key}}:`;
    this.#limits = this.#named.map((l) => ({
      tag: l.name === undefined ? '' : `n:${l.name}`,
      limitArg: String(l.limit),
      intervalArg: micros(l.interval),
    }));
    this.#keys = [`${prefix}m`];
    for (const { tag } of this.#limits) this.#keys.push(`${prefix}${tag}:a`, `${prefix}${tag}:c`);
    this.#span = micros(Math.max(...this.#named.map((l) => l.interval)));
  }

  /** How many `acquire()` calls of this process are waiting for their slot. */
  get pendingCount(): number {
    return this.#queue.size;
  }

  /**
   * Waits for a slot every limit allows for `cost` (all limits at once), and
   * resolves its {@link Grant}: `at` is the slot on the Redis server's clock
   * (ms), `settle` corrects the cost later. FIFO among this process's waiters.
   *
   * @throws TypeError / RangeError (as a rejection) for a bad option or cost,
   *   before anything is sent. Rejects with `signal.reason` on abort, and with
   *   `RedisUnavailableError` when Redis fails or is too slow (unless
   *   `onUnavailable: 'allow'`).
   * @example
   * ```ts
   * const grant = await limiter.acquire({ cost: { tokens: 1000 }, signal });
   * const reply = await chat(prompt);
   * grant.settle({ tokens: reply.usage.total_tokens });
   * ```
   */
  acquire(options?: RedisAcquireOptions): Promise<Grant> {
    let costs: number[];
    let signal: AbortSignal | undefined;
    try {
      const o = readOptions('RedisRateLimiter.acquire', options, ACQUIRE_NAMES);
      checkSignal(o.signal);
      signal = o.signal;
      costs = parseCost('RedisRateLimiter.acquire', o.cost, this.#named);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#enqueue(costs, signal);
  }

  /**
   * Waits for a slot, then calls `fn` and settles with its result. A sync `fn`
   * becomes async. The signal covers the wait only.
   *
   * @example
   * ```ts
   * const user = await limiter.call(() => api.getUser(id), { signal, cost: 2 });
   * ```
   */
  call<R>(fn: () => R | PromiseLike<R>, options?: RedisAcquireOptions): Promise<Awaited<R>> {
    checkFunction(fn, 'fn');
    return this.acquire(options).then(() => fn()) as Promise<Awaited<R>>;
  }

  /**
   * Returns a function with `fn`'s parameters that waits for a slot (costing
   * `cost(...args)`, default 1), then calls `fn` with the same `this` and arguments.
   *
   * @example
   * ```ts
   * const embed = limiter.wrap(openai.embed, { cost: (texts: string[]) => ({ tokens: count(texts) }) });
   * ```
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- `any[]` is the only bound that accepts every parameter list
  wrap<F extends (...args: any[]) => unknown>(
    fn: F,
    options?: RedisWrapOptions<F>,
  ): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>> {
    checkFunction(fn, 'fn');
    const o = readOptions('RedisRateLimiter.wrap', options, ['cost']);
    checkFunction(o.cost, 'cost', true);
    const costOf = o.cost as ((...args: Parameters<F>) => Cost) | undefined;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapper keeps its caller's `this` for `fn`
    const limiter = this;
    const wrapped = function (this: unknown, ...args: Parameters<F>): Promise<Awaited<ReturnType<F>>> {
      let acquired: Promise<Grant>;
      try {
        acquired = limiter.acquire(costOf === undefined ? undefined : { cost: costOf(...args) });
      } catch (error) {
        acquired = Promise.reject(error);
      }
      return acquired.then(() => fn.apply(this, args)) as Promise<Awaited<ReturnType<F>>>;
    };
    Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
    return wrapped;
  }

  /**
   * Nothing is granted, by any process, before the server's now + `ms` (a
   * 429's `Retry-After`); a longer pause extends it, a shorter one never
   * shortens it. Sent at once and not awaited: a Redis failure is ignored
   * (the next `acquire` reports it).
   *
   * @throws TypeError / RangeError when `ms` is not a finite number >= 0.
   * @example
   * ```ts
   * if (response.status === 429) limiter.pause(Number(response.headers.get('retry-after')) * 1000);
   * ```
   */
  pause(ms: number): void {
    checkNumber(ms, 'ms', { min: 0 });
    runScript(this.#redis, pauseScript, this.#keys.slice(0, 1), [this.#span, micros(ms)], this.#commandTimeout).then(noop, noop);
  }

  #enqueue(costs: number[], signal: AbortSignal | undefined): Promise<Grant> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as unknown);
    return new Promise<Grant>((resolve, reject) => {
      const waiter: Waiter = {
        state: 'sent',
        costs,
        epoch: 0,
        due: 0,
        grant: undefined,
        id: undefined,
        resolve,
        reject,
        off: noop,
        prev: null,
        next: null,
      };
      this.#queue.push(waiter);
      waiter.off = onAbort(signal, (reason) => {
        this.#leave(waiter);
        reject(reason);
      });
      this.#request(waiter);
    });
  }

  #request(waiter: Waiter): void {
    waiter.state = 'sent';
    const args = [this.#span, String(this.#limits.length)];
    this.#limits.forEach((limit, i) => {
      args.push(limit.tag, limit.limitArg, limit.intervalArg, String(waiter.costs[i]));
    });
    runScript(this.#redis, acquireScript, this.#keys, args, this.#commandTimeout, 5).then(
      (tuple) => {
        this.#granted(waiter, tuple);
      },
      (error: unknown) => {
        this.#failed(waiter, error);
      },
    );
  }

  /** The head's slot has come: one more round trip checks that a restart did not void its reservation. */
  #confirm(waiter: Waiter): void {
    this.#reserved--;
    waiter.state = 'confirming';
    runScript(this.#redis, confirmScript, this.#keys.slice(0, 1), [String(waiter.epoch)], this.#commandTimeout).then(
      ([status]) => {
        if (waiter.state !== 'confirming') return; // aborted meanwhile
        if (status === 0) {
          waiter.state = 'ready';
          this.#pump();
        } else {
          this.#request(waiter); // the state is new: ask again (the restart guard holds it as long as needed)
        }
      },
      (error: unknown) => {
        if (waiter.state === 'confirming') this.#failed(waiter, error);
      },
    );
  }

  #granted(waiter: Waiter, tuple: number[]): void {
    const [status, id = 0, slot = 0, serverNow = 0, epoch = 0] = tuple;
    if (waiter.state === 'gone') {
      // Aborted while its request was on the way: the slot goes back at once.
      this.#cancel(id);
      return;
    }
    const local = now();
    this.#offset = serverNow / 1000 - local;
    waiter.id = id;
    waiter.epoch = epoch;
    waiter.due = local + Math.max(0, (slot - serverNow) / 1000);
    waiter.grant = this.#grant(slot / 1000, id);
    waiter.state = status === 0 ? 'ready' : 'reserved';
    if (status !== 0) this.#reserved++;
    this.#pump();
  }

  #failed(waiter: Waiter, error: unknown): void {
    if (waiter.state === 'gone') return;
    if (this.#allow) {
      // Fail-open: it starts now, unrecorded (a confirmed-to-be reservation keeps its grant).
      waiter.grant ??= this.#grant(now() + this.#offset, undefined);
      waiter.state = 'ready';
    } else {
      this.#leave(waiter);
      waiter.off();
      waiter.reject(toUnavailable(error));
    }
    this.#pump();
  }

  #grant(at: number, id: number | undefined): Grant {
    return Object.freeze({
      at,
      settle: (cost: Cost): void => {
        const costs = parseCost('Grant.settle', cost, this.#named, true);
        if (id === undefined) return; // granted fail-open: nothing was recorded
        const args = [String(id), String(this.#limits.length)];
        this.#limits.forEach((limit, i) => args.push(limit.tag, String(costs[i])));
        runScript(this.#redis, settleScript, this.#keys, args, this.#commandTimeout).then(noop, noop);
      },
    });
  }

  #cancel(id: number): void {
    const args = [String(id), String(this.#limits.length), ...this.#limits.map((limit) => limit.tag)];
    runScript(this.#redis, cancelScript, this.#keys, args, this.#commandTimeout).then(noop, noop);
  }

  /** Takes a waiter out of line (abort or failure); a reservation it held goes back. */
  #leave(waiter: Waiter): void {
    if (waiter.state === 'gone') return;
    if (waiter.state !== 'sent' && waiter.id !== undefined) this.#cancel(waiter.id);
    if (waiter.state === 'reserved') this.#reserved--;
    waiter.state = 'gone';
    const wasHead = this.#queue.head === waiter;
    this.#queue.remove(waiter);
    if (wasHead) this.#pump();
  }

  /**
   * Releases, in order, every waiter that may start; confirms (all at once)
   * the reservations whose slot has come; one timer for the next slot.
   */
  #pump(): void {
    this.#cancelTimer();
    this.#cancelTimer = noop;
    const queue = this.#queue;
    for (let head = queue.head; head?.state === 'ready'; head = queue.head) {
      queue.remove(head);
      head.state = 'gone';
      head.off();
      if (head.grant !== undefined) head.resolve(head.grant);
    }
    if (this.#reserved === 0) return;
    const time = now();
    for (let waiter = queue.head; waiter !== null; waiter = waiter.next) {
      if (waiter.state !== 'reserved') continue;
      if (waiter.due > time) {
        this.#cancelTimer = setTimer(waiter.due - time, this.#fire);
        return;
      }
      this.#confirm(waiter);
    }
  }
}
