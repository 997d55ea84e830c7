/**
 * Global guard, loaded before every test file of every project: any
 * unhandled promise rejection or uncaught exception fails the run, even one
 * that surfaces after the test that caused it has finished.
 *
 * Vitest already reports such errors; this guard makes the rule explicit and
 * independent of reporter settings (it holds even with
 * `dangerouslyIgnoreUnhandledErrors`): it records them, fails the test during
 * which they surfaced (afterEach), and fails the file's afterAll with any that
 * surfaced later. Proven by tests/reliability/hygiene-guard.node.test.ts.
 */
import { afterAll, afterEach } from 'vitest';

// Captured before any test can install fake timers: the guard must never hang
// on a clock that a test left faked.
const realSetTimeout = globalThis.setTimeout;
const realSetImmediate = globalThis.setImmediate;

const escaped: unknown[] = [];
const onRejection = (reason: unknown): void => {
  escaped.push(reason);
};
const onException = (error: unknown): void => {
  escaped.push(error);
};

process.on('unhandledRejection', onRejection);
process.on('uncaughtException', onException);

function report(where: string): void {
  if (escaped.length === 0) return;
  const list = escaped.splice(0).map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)));
  throw new Error(`unhandled rejection or uncaught exception ${where}:\n${list.join('\n')}`);
}

afterEach(async () => {
  // Node reports a rejection as unhandled once the microtask queue is empty:
  // one macrotask later, everything the test left unhandled has surfaced.
  await new Promise((resolve) => realSetImmediate(resolve));
  report('during this test');
});

afterAll(async () => {
  // Let rejections from timers the last test left behind surface before judging.
  await new Promise((resolve) => realSetTimeout(resolve, 0));
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
  report('during this file');
});
