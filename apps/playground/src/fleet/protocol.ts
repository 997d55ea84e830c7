/**
 * What the fleet demo's parent and its workers say to each other: the
 * worker's configuration (its first argument, JSON), and the events it
 * writes to stdout, one JSON object a line.
 */

import type { FleetSettings } from './settings.js';

/** A worker's configuration: the shared limits and the load from the fleet's settings, and its own place. */
export interface WorkerConfig extends Pick<
  FleetSettings,
  'requestsPerSecond' | 'tokensPerSecond' | 'concurrency' | 'lease' | 'perWorker' | 'tokens' | 'hold'
> {
  readonly id: number;
  readonly port: number;
  /** The limiters' key prefix. */
  readonly key: string;
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
