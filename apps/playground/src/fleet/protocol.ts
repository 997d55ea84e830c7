/**
 * What the fleet demo's parent and its workers say to each other: the
 * worker's configuration (its first argument, JSON), and the events it
 * writes to stdout, one JSON object a line.
 */

/** A worker's configuration. */
export interface WorkerConfig {
  readonly id: number;
  readonly port: number;
  /** The limiters' key prefix. */
  readonly key: string;
  readonly requestsPerSecond: number;
  readonly tokensPerSecond: number;
  readonly concurrency: number;
  readonly lease: number;
  readonly perWorker: number;
  readonly tokens: readonly [number, number];
  readonly hold: readonly [number, number];
  /** How long the worker takes new requests after 'go', ms. */
  readonly duration: number;
}

/** Redis keys of the in/out count (not the limiters' own keys). */
export function countKeys(key: string): { total: string; byWorker: string } {
  return { total: `${key}:holders`, byWorker: `${key}:holders-by-worker` };
}

/** A worker's report. */
export type WorkerEvent =
  /** Connected and ready: the parent answers with a line 'go'. */
  | { readonly type: 'ready' }
  /** A request was granted by the RedisRateLimiter at `at` (grant.at, the server's clock). */
  | { readonly type: 'grant'; readonly at: number; readonly tokens: number }
  /** A lease was acquired at `t` (Date.now()); `count`: leases held then, this one included (the INCR's reply). */
  | { readonly type: 'in'; readonly t: number; readonly count: number }
  /** A lease was released (after counting out). */
  | { readonly type: 'out' }
  /** A holder's ctx.signal was aborted with LeaseLostError. */
  | { readonly type: 'lost' }
  /** The worker's alcall finished: `requests` ran, `failed` failed. */
  | { readonly type: 'done'; readonly requests: number; readonly failed: number };

/**
 * One line of a worker's stdout as an event, or undefined when it is not one.
 *
 * @example
 * ```ts
 * parseEvent('{"type":"out"}'); // { type: 'out' }
 * ```
 */
export function parseEvent(line: string): WorkerEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') return value as WorkerEvent;
  } catch {
    // not an event
  }
  return undefined;
}
