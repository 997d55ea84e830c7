/**
 * Hygiene: after a script that uses every package with long timeouts (60 s
 * retryTimeout, CancelScope, Throttle, failAfter, sleep raced by a signal...)
 * finishes its work, the process exits long before any of those timeouts:
 * nothing lf started keeps the event loop alive. The bound is only the side
 * the guarantee fixes (3 s, against lf's 60 s timers; a quiet machine exits
 * in a few ms, a loaded one can take hundreds); the control shows a 4 s timer
 * is caught. The script runs on the BUILT packages.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const testsDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs node with `args` (cwd: tests/, so '@lf/async-utils' is the built umbrella); resolves the exit gap. */
function exitGap(args: string[]): Promise<{ gap: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: testsDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const exitedAt = performance.timeOrigin + performance.now();
      // stdout may still be flushing: read the DONE line once the streams close.
      child.on('close', () => {
        const done = /DONE (\d+(?:\.\d+)?)/.exec(stdout);
        resolve({ gap: done ? exitedAt - Number(done[1]) : NaN, code, stdout, stderr });
      });
    });
  });
}

describe('a process using every package with long timeouts exits as soon as its work is done', () => {
  it('exits long before its 60 s timeouts would fire (within 3 s of its last line)', async () => {
    const { gap, code, stderr } = await exitGap(['reliability/fixtures/exit-promptly.mjs']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThan(3_000);
  }, 20_000);

  it('(control) the measure does catch a timer that keeps the process alive', async () => {
    const script = 'console.log(`DONE ${performance.timeOrigin + performance.now()}`); setTimeout(() => {}, 4_000);';
    const { gap, code } = await exitGap(['--input-type=module', '-e', script]);
    expect(code).toBe(0);
    expect(gap).toBeGreaterThanOrEqual(3_900);
  }, 20_000);
});
