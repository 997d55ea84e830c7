import { setTimer } from '@lf/scope/internal';
import type { RedisScripts } from './adapters.js';
import { RedisUnavailableError } from './errors.js';

/** A Lua script and its SHA-1 digest (computed once, with Web Crypto). */
export class Script {
  readonly source: string;
  #sha1: Promise<string> | undefined;

  constructor(source: string) {
    this.source = source;
  }

  /** The digest, once {@link Script.sha1} has computed it (saves a microtask per call). */
  digest: string | undefined;

  /** The lowercase hex SHA-1 of the source, as `EVALSHA` wants it. */
  sha1(): Promise<string> {
    this.#sha1 ??= crypto.subtle.digest('SHA-1', new TextEncoder().encode(this.source)).then((digest) => {
      this.digest = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
      return this.digest;
    });
    return this.#sha1;
  }
}

/** A reply element as a number: RESP2 and RESP3 clients decode integers as numbers, strings, bigints or bytes. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' || typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return Number(new TextDecoder().decode(value));
  return NaN;
}

/** A script's status tuple, as numbers (at least `length` of them); anything else is a protocol problem. */
export function toTuple(reply: unknown, length: number): number[] {
  if (!Array.isArray(reply)) throw new TypeError(`unexpected script reply (${typeof reply})`);
  const tuple = reply.map(toNumber);
  if (tuple.length < length || tuple.some(Number.isNaN)) throw new TypeError(`unexpected script reply (not a tuple of ${length} integers)`);
  return tuple;
}

function isNoScript(error: unknown): boolean {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' && message.startsWith('NOSCRIPT');
}

/** Runs `script`: EVALSHA, then EVAL when the server does not have it (a restart, SCRIPT FLUSH, a new node). */
async function evaluate(redis: RedisScripts, script: Script, keys: string[], args: string[], length: number): Promise<number[]> {
  const sha1 = script.digest ?? (await script.sha1());
  let reply: unknown;
  try {
    reply = await redis.evalsha(sha1, keys, args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    reply = await redis.eval(script.source, keys, args);
  }
  return toTuple(reply, length);
}

/**
 * Runs `script` within `timeout` ms, whatever the client does meanwhile
 * (reconnects, offline queues, retries): on a timeout or any failure it
 * rejects with a {@link RedisUnavailableError} (the client's error as `cause`).
 * Only the timeout's timer is armed, and only while the command runs.
 */
export function runScript(redis: RedisScripts, script: Script, keys: string[], args: string[], timeout: number, length = 1): Promise<number[]> {
  return new Promise<number[]>((resolve, reject) => {
    let done = false;
    const cancel = setTimer(timeout, () => {
      done = true;
      reject(new RedisUnavailableError(`Redis did not answer within ${timeout} ms (commandTimeout)`));
    });
    evaluate(redis, script, keys, args, length).then(
      (tuple) => {
        if (done) return;
        done = true;
        cancel();
        resolve(tuple);
      },
      (error: unknown) => {
        if (done) return;
        done = true;
        cancel();
        const message = (error as { message?: unknown } | null | undefined)?.message;
        reject(new RedisUnavailableError(`Redis command failed: ${typeof message === 'string' ? message : String(error)}`, { cause: error }));
      },
    );
  });
}
