/** Resolvers waiting for the next {@link yieldToEventLoop} macrotask, in order. */
const waiting: (() => void)[] = [];
let channel: MessageChannel | undefined;

function drain(): void {
  const resolve = waiting.shift();
  // No handler while nobody waits: an idle port keeps no runtime alive.
  if (waiting.length === 0 && channel !== undefined) channel.port1.onmessage = null;
  resolve?.();
}

/**
 * Resolves on a later macrotask (a new turn of the event loop), so timers,
 * I/O and abort events that are due get to run: what a loop that would
 * otherwise run on microtasks alone awaits between rounds (retry's attempts
 * with no delay). Uses one shared `MessageChannel` where the runtime has it
 * (Node, Deno, Bun, browsers: about 10 to 30 µs a yield), else `setTimeout(0)`
 * (about 1 ms on Node, up to 4 ms in a nested browser timer). The port has a
 * handler only while someone waits, so it never keeps a process alive.
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
    channel ??= new MessageChannel();
    if (waiting.length === 0) channel.port1.onmessage = drain;
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}
