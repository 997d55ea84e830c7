import { now, setTimer } from '@lf/scope/internal';
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
  const tuple = new Array<number>(reply.length);
  for (let i = 0; i < reply.length; i++) {
    const value = toNumber(reply[i]);
    if (Number.isNaN(value)) throw new TypeError(`unexpected script reply (not a tuple of ${length} integers)`);
    tuple[i] = value;
  }
  if (tuple.length < length) throw new TypeError(`unexpected script reply (not a tuple of ${length} integers)`);
  return tuple;
}

function isNoScript(error: unknown): boolean {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' && message.startsWith('NOSCRIPT');
}

function failure(error: unknown): RedisUnavailableError {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return new RedisUnavailableError(`Redis command failed: ${typeof message === 'string' ? message : String(error)}`, { cause: error });
}

/** One command waiting for its reply, in a {@link CommandTimer}'s list (oldest first). */
interface Running {
  readonly deadline: number;
  readonly expire: () => void;
  prev: Running | null;
  next: Running | null;
}

/**
 * The `commandTimeout` of many commands with one timer: every command of one
 * limiter has the same timeout, so the oldest one running is always the next
 * to time out. One timer is armed for it; a command that answers leaves the
 * list at no timer cost; when the timer fires, the commands past their
 * deadline fail and it is armed again for the oldest left. No timer is left
 * once no command runs. (A `setTimeout` and a `clearTimeout` per command
 * were a measurable part of a grant at thousands of grants per second.)
 *
 * @example
 * ```ts
 * const timer = new CommandTimer(1000);
 * const [status] = await runScript(redis, script, keys, args, timer);
 * ```
 */
export class CommandTimer {
  readonly timeout: number;
  #head: Running | null = null;
  #tail: Running | null = null;
  /** The deadline the armed timer fires at (Infinity: none armed). */
  #armedFor = Infinity;
  #cancel: () => void = () => undefined;
  readonly #fire = (): void => {
    this.#armedFor = Infinity;
    const time = now();
    for (let head = this.#head; head !== null && head.deadline <= time; head = this.#head) {
      this.remove(head);
      head.expire();
    }
    this.#arm();
  };

  constructor(timeout: number) {
    this.timeout = timeout;
  }

  /** Starts timing a command: `expire` runs once it is `timeout` ms old (unless removed first). */
  add(expire: () => void): Running {
    const running: Running = { deadline: now() + this.timeout, expire, prev: this.#tail, next: null };
    if (this.#tail === null) {
      this.#head = running;
      this.#tail = running;
      // the only command: its own timeout, without reading the clock again
      if (this.#armedFor === Infinity && running.deadline !== Infinity) {
        this.#armedFor = running.deadline;
        this.#cancel = setTimer(this.timeout, this.#fire);
      }
    } else {
      this.#tail.next = running;
      this.#tail = running;
      if (this.#armedFor === Infinity) this.#arm();
    }
    return running;
  }

  /** The command answered (or timed out). */
  remove(running: Running): void {
    if (running.prev === null) this.#head = running.next;
    else running.prev.next = running.next;
    if (running.next === null) this.#tail = running.prev;
    else running.next.prev = running.prev;
    running.prev = null;
    running.next = null;
    if (this.#head === null && this.#armedFor !== Infinity) {
      this.#cancel();
      this.#armedFor = Infinity;
    }
  }

  #arm(): void {
    const head = this.#head;
    if (head === null || head.deadline === Infinity) return;
    this.#armedFor = head.deadline;
    this.#cancel = setTimer(Math.max(0, head.deadline - now()), this.#fire);
  }
}

const timedOut = (timeout: number): RedisUnavailableError =>
  new RedisUnavailableError(`Redis did not answer within ${timeout} ms (commandTimeout)`);

/**
 * Runs `script` within `timeout` ms (or a {@link CommandTimer}'s), whatever
 * the client does meanwhile (reconnects, offline queues, retries): on a
 * timeout or any failure it rejects with a {@link RedisUnavailableError} (the
 * client's error as `cause`). EVALSHA, then EVAL when the server does not
 * have the script (a restart, SCRIPT FLUSH, a new node). The reply is the
 * script's status tuple, as numbers (at least `length` of them). A number
 * arms a timer for this command only, while it runs; a shared
 * `CommandTimer` arms one for all the commands it times.
 *
 * @example
 * ```ts
 * const [status, until] = await runScript(redis, new Script(PAUSE), keys, args, 1000, 2);
 * ```
 */
export function runScript(
  redis: RedisScripts,
  script: Script,
  keys: string[],
  args: string[],
  timeout: number | CommandTimer,
  length = 1,
): Promise<number[]> {
  return new Promise<number[]>((resolve, reject) => {
    let done = false;
    let stop: () => void;
    if (typeof timeout === 'number') {
      stop = setTimer(timeout, () => {
        done = true;
        reject(timedOut(timeout));
      });
    } else {
      const running = timeout.add(() => {
        done = true;
        reject(timedOut(timeout.timeout));
      });
      stop = () => {
        timeout.remove(running);
      };
    }
    const onReply = (reply: unknown): void => {
      if (done) return;
      done = true;
      stop();
      let tuple: number[];
      try {
        tuple = toTuple(reply, length);
      } catch (error) {
        reject(failure(error));
        return;
      }
      resolve(tuple);
    };
    const onError = (error: unknown): void => {
      if (done) return;
      done = true;
      stop();
      reject(failure(error));
    };
    const run = (sha1: string): void => {
      let sent: Promise<unknown>;
      try {
        sent = Promise.resolve(redis.evalsha(sha1, keys, args));
      } catch (error) {
        sent = Promise.reject(error);
      }
      sent.then(onReply, (error: unknown) => {
        if (done) return;
        if (!isNoScript(error)) {
          onError(error);
          return;
        }
        let again: Promise<unknown>;
        try {
          again = Promise.resolve(redis.eval(script.source, keys, args));
        } catch (retryError) {
          again = Promise.reject(retryError);
        }
        again.then(onReply, onError);
      });
    };
    if (script.digest !== undefined) run(script.digest);
    else script.sha1().then(run, onError);
  });
}
