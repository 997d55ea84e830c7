import { setTimer } from '@lf/scope/internal';

/**
 * Calls `callback` on the next macrotask, without `setTimeout`'s clamp (Node
 * and browsers never fire a timer sooner than 1 ms, often later), through a
 * fresh `MessageChannel` (web standard: Node, Deno, Bun, browsers); falls
 * back to a 0 ms timer where there is none. Returns a function that cancels
 * it. The channel is closed once it has delivered or is cancelled, so
 * nothing keeps the process alive.
 *
 * `RateLimiter` uses it for the last fraction of a millisecond of a wait: a
 * timer that fired early by 0.3 ms would otherwise be re-armed for a whole
 * millisecond or more, and on real time that lateness delays every later
 * window.
 *
 * @example
 * ```ts
 * const cancel = nextTask(() => console.log('next turn'));
 * cancel(); // nothing is printed, the channel is closed
 * ```
 */
export function nextTask(callback: () => void): () => void {
  if (typeof MessageChannel !== 'function') return setTimer(0, callback);
  const channel = new MessageChannel();
  let live = true;
  channel.port1.onmessage = () => {
    channel.port1.close();
    if (!live) return;
    live = false;
    callback();
  };
  channel.port2.postMessage(null);
  return () => {
    live = false;
    channel.port1.close();
  };
}
