/**
 * Child processes that stream their reports: each child writes one JSON
 * event a line to stdout (`{"e":"ready"}` first, then whatever it reports),
 * and waits for a line `go` on stdin before it starts. The parent sees the
 * events as they come (so it can act in the middle of a run: kill a child
 * that holds slots, restart Redis), and every child still running is
 * SIGKILLed by `killAll()` (call it in `afterEach`/`finally`) and, at the
 * latest, when the test process exits. Node only; not part of the package.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { bundle } from './fleet.js';

/** Every event has its kind in `e`. */
export interface ChildEvent {
  readonly e: string;
}

/** A running child and what it has reported so far. */
export interface Child<E extends ChildEvent> {
  readonly process: ChildProcess;
  /** Every event so far, in order. */
  readonly events: E[];
  /** Resolves once the child has exited (its stdout read to the end), with its exit code (null: killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Waits for the first event (already seen or to come) that satisfies `check`. */
  waitFor(check: (event: E) => boolean, timeout: number, what?: string): Promise<E>;
  /** Says go. */
  go(): void;
  /** SIGKILL; resolves once it has exited. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHook = false;

/** Starts `entry` (a file in this folder, bundled once per test file) with `config` as its argument; resolves once it is ready. */
export async function startChild<E extends ChildEvent>(entry: string, config: unknown, readyTimeout = 20_000): Promise<Child<E>> {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', killAll);
  }
  const file = await bundle(entry);
  const proc = spawn(process.execPath, [file, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
  running.add(proc);
  const events: E[] = [];
  const watchers = new Set<() => void>();
  let closed = false;
  const exited = new Promise<number | null>((resolve) => {
    proc.once('close', (code) => {
      closed = true;
      running.delete(proc);
      for (const w of watchers) w();
      resolve(code);
    });
  });
  createInterface({ input: proc.stdout }).on('line', (text) => {
    if (!text.startsWith('{')) return;
    events.push(JSON.parse(text) as E);
    for (const w of watchers) w();
  });
  const waitFor = (check: (event: E) => boolean, timeout: number, what = 'an event'): Promise<E> =>
    new Promise<E>((resolve, reject) => {
      const look = (): void => {
        const found = events.find(check);
        if (found !== undefined)
          finish(() => {
            resolve(found);
          });
        else if (closed)
          finish(() => {
            reject(new Error(`the child exited before ${what}: ${JSON.stringify(events.slice(-5))}`));
          });
      };
      const timer = setTimeout(() => {
        finish(() => {
          reject(new Error(`timed out after ${timeout} ms waiting for ${what}: ${JSON.stringify(events.slice(-5))}`));
        });
      }, timeout);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        watchers.delete(look);
        settle();
      };
      watchers.add(look);
      look();
    });
  const child: Child<E> = {
    process: proc,
    events,
    exited,
    waitFor,
    go: () => proc.stdin.write('go\n'),
    kill: async () => {
      if (!closed) proc.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await waitFor((event) => event.e === 'ready', readyTimeout, 'ready');
  } catch (error) {
    await child.kill();
    throw error;
  }
  return child;
}

/** SIGKILLs every child still running (synchronous: safe in an exit handler). */
export function killAll(): void {
  for (const proc of running) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}
