/** Resolvers waiting for the next {@link yieldToEventLoop} macrotask, in order. */
const waiting: (() => void)[] = [];
/** The channel in use; closed and dropped once nobody waits (see {@link openChannel}). */
let channel: MessageChannel | undefined;

/**
 * A channel whose every message serves one waiter. When a message finds
 * nobody waiting, the channel is closed: an open port with a handler keeps
 * Deno alive (and `onmessage = null` or `unref()` do not release it there),
 * so an idle yield must hold no port at all. After serving the last waiter
 * it posts one more message, so a loop that yields again within that turn
 * keeps the same channel, and an idle one closes it one macrotask later.
 * Messages in flight are always at least as many as the waiters.
 */
function openChannel(): MessageChannel {
  const own = new MessageChannel();
  own.port1.onmessage = () => {
    if (channel !== own) return;
    const resolve = waiting.shift();
    if (resolve === undefined) {
      channel = undefined;
      own.port1.close();
      return;
    }
    if (waiting.length === 0) own.port2.postMessage(null);
    resolve();
  };
  return own;
}

/**
 * Resolves on a later macrotask (a new turn of the event loop), so timers,
 * I/O and abort events that are due get to run: what a loop that would
 * otherwise run on microtasks alone awaits between rounds (retry's attempts
 * with no delay). Uses a `MessageChannel` where the runtime has one (Node,
 * Deno, Bun, browsers: 15 to 60 µs a yield measured on a loaded machine),
 * else `setTimeout(0)` (1 to 2.5 ms on Node and Deno). The channel is closed
 * once nobody waits, so it never keeps a process alive.
 *
 * @example
 * ```ts
 * for (;;) {
 *   if (signal.aborted) break;
 *   await work().catch(() => undefined);
 *   await yieldToEventLoop(); // AbortSignal.timeout() can fire now
 * }
 * ```
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel === 'undefined') {
      setTimeout(resolve, 0);
      return;
    }
    waiting.push(resolve);
    (channel ??= openChannel()).port2.postMessage(null);
  });
}
