/**
 * A simulated LLM API for the terminal scenarios: each completion takes a
 * scripted latency and reports a usage count (the tokens it really used, less
 * than the estimate the client reserved); a call can be scripted to answer
 * 429 with a Retry-After, or to be refused for good (a content filter's 400).
 */
import { sleep } from '@lf/async-utils';

/** One prompt of a scenario. */
export interface Prompt {
  readonly id: number;
  readonly text: string;
  /** The client's estimate (prompt + max_tokens): what it reserves before sending. */
  readonly maxTokens: number;
  /** What the completion really uses: the `usage` the API reports. */
  readonly usedTokens: number;
  /** ms the completion takes. */
  readonly latency: number;
  /** The API refuses it for good (a 400 from the content filter). */
  readonly refused?: boolean;
}

/** What the API answers. */
export interface Completion {
  readonly text: string;
  readonly usage: { readonly tokens: number };
}

/** HTTP 429: slow down, and come back after `retryAfterMs`. */
export class RateLimited extends Error {
  override readonly name = 'RateLimited';
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super(`429 Too Many Requests (Retry-After: ${String(retryAfterMs)} ms)`);
    this.retryAfterMs = retryAfterMs;
  }
}

/** HTTP 400 from the content filter: retrying will not help. */
export class Refused extends Error {
  override readonly name = 'Refused';

  constructor(id: number) {
    super(`400 prompt ${String(id)} refused by the content filter`);
  }
}

/**
 * The simulated endpoint. `throttleOnCall` makes that call (1-based, counted
 * across all prompts) answer 429 after a few ms.
 *
 * @example
 * const api = new FakeLLM({ throttleOnCall: 3, retryAfterMs: 250 });
 * const { text, usage } = await api.complete(prompt, { signal });
 */
export class FakeLLM {
  /** Calls received so far. */
  calls = 0;
  readonly #throttleOnCall: number;
  readonly #retryAfterMs: number;

  constructor(options: { throttleOnCall?: number; retryAfterMs?: number } = {}) {
    this.#throttleOnCall = options.throttleOnCall ?? 0;
    this.#retryAfterMs = options.retryAfterMs ?? 0;
  }

  async complete(prompt: Prompt, options: { signal?: AbortSignal } = {}): Promise<Completion> {
    const call = ++this.calls;
    if (call === this.#throttleOnCall) {
      await sleep(5, options);
      throw new RateLimited(this.#retryAfterMs);
    }
    await sleep(prompt.latency, options);
    if (prompt.refused === true) throw new Refused(prompt.id);
    return { text: `answer ${String(prompt.id)}`, usage: { tokens: prompt.usedTokens } };
  }
}

/**
 * `count` prompts with estimates and usage drawn from fixed tables (no dice:
 * the scenarios replay the same).
 *
 * @example
 * makePrompts(4); // [{ id: 1, maxTokens: 300, usedTokens: 140, latency: 40, ... }, ...]
 */
export function makePrompts(count: number, latencies: readonly number[] = [40]): Prompt[] {
  const estimates = [300, 200, 400, 250, 150, 350, 300, 200, 250, 300];
  return Array.from({ length: count }, (_, i) => {
    const maxTokens = estimates[i % estimates.length] ?? 300;
    return {
      id: i + 1,
      text: `prompt ${String(i + 1)}`,
      maxTokens,
      usedTokens: Math.round(maxTokens * (0.35 + 0.1 * (i % 4))),
      latency: latencies[i % latencies.length] ?? 40,
    };
  });
}
