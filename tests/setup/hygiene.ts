/**
 * Global guard, loaded before every test file of every project: any
 * unhandled promise rejection or uncaught exception fails the run, even one
 * that surfaces after the test that caused it has finished.
 *
 * Vitest already reports such errors; this guard makes the rule explicit and
 * independent of reporter settings: it records them and fails the current
 * (or next) test file's afterAll with the list.
 */
import { afterAll } from 'vitest';

const escaped: unknown[] = [];
const onRejection = (reason: unknown): void => {
  escaped.push(reason);
};
const onException = (error: unknown): void => {
  escaped.push(error);
};

process.on('unhandledRejection', onRejection);
process.on('uncaughtException', onException);

afterAll(async () => {
  // Let rejections from the last test surface before judging.
  await new Promise((resolve) => setTimeout(resolve, 0));
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
  if (escaped.length > 0) {
    const list = escaped.splice(0).map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)));
    throw new Error(`unhandled rejection or uncaught exception during this file:\n${list.join('\n')}`);
  }
});
