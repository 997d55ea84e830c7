/**
 * The simulated workload: each attempt of each item sleeps a random latency
 * and then fails with the given probability. The dice are a pure function of
 * (seed, item, attempt), so a seed replays the same run whatever the scheduling.
 */

export interface WorkloadOptions {
  latencyMin: number;
  latencyMax: number;
  /** 0..1, per attempt. */
  failureRate: number;
  seed: number;
}

export interface AttemptPlan {
  /** ms the attempt takes. */
  latency: number;
  /** The attempt throws after its latency. */
  fails: boolean;
}

/** The error a simulated attempt throws; carries its item so onRetry can find the lane. */
export class SimulatedFailure extends Error {
  override readonly name = 'SimulatedFailure';
  readonly item: number;
  readonly attempt: number;

  constructor(item: number, attempt: number) {
    super(`item ${item} failed on attempt ${attempt}`);
    this.item = item;
    this.attempt = attempt;
  }
}

/**
 * Decides the latency and the fate of one attempt.
 *
 * @example
 * planAttempt({ latencyMin: 50, latencyMax: 150, failureRate: 0.2, seed: 7 }, 3, 1);
 * // { latency: 50..150, fails: true | false }, the same every time
 */
export function planAttempt(w: WorkloadOptions, item: number, attempt: number): AttemptPlan {
  const a = unit(w.seed, item, attempt, 1);
  const b = unit(w.seed, item, attempt, 2);
  const lo = Math.min(w.latencyMin, w.latencyMax);
  const hi = Math.max(w.latencyMin, w.latencyMax);
  return { latency: Math.round(lo + a * (hi - lo)), fails: b < w.failureRate };
}

/**
 * A uniform number in [0, 1) from four integers (a murmur-style finaliser over a mixed key).
 *
 * @example
 * unit(12, 3, 1, 1); // the same number in [0, 1) every time
 */
export function unit(seed: number, item: number, attempt: number, salt: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (item + 0x632be5ab), 0xc2b2ae35);
  h = Math.imul(h ^ (attempt * 0x27d4eb2f), 0x165667b1);
  h ^= salt * 0x61c88647;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
