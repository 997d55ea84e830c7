/**
 * Test harness: throw-away `redis-server` processes on free loopback ports,
 * started by the tests themselves (never a shared server), and stopped by
 * port whatever happens: in `afterAll`, and at the latest when the test
 * process exits. Node only; not part of the package.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Ports of the servers this process started and has not stopped yet. */
const running = new Map<number, string>();
let exitHookInstalled = false;

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

function cli(port: number, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 5000 });
  return result.stdout.trim();
}

/** Runs one command with `redis-cli` and returns its output (empty when the server is down). */
export function redisCli(port: number, ...args: string[]): string {
  return cli(port, ...args);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** True when `redis-server` can be started on this machine. */
export function haveRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Starts `redis-server` on `port` (a free one when omitted), without
 * persistence, daemonized, and waits until it answers PING. Returns the port.
 */
export async function startRedis(port?: number): Promise<number> {
  const p = port ?? (await freePort());
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const left of running.keys()) stopRedis(left);
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'lf-redis-'));
  running.set(p, dir);
  execFileSync('redis-server', [
    '--port',
    String(p),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--dir',
    dir,
    '--pidfile',
    join(dir, 'redis.pid'),
    '--logfile',
    join(dir, 'redis.log'),
  ]);
  for (let i = 0; i < 200; i++) {
    if (cli(p, 'ping') === 'PONG') return p;
    sleepSync(25);
  }
  stopRedis(p);
  throw new Error(`redis-server on port ${p} did not start`);
}

/** Stops the server on `port` (no save) and waits until it is gone. Safe to call twice. */
export function stopRedis(port: number): void {
  cli(port, 'shutdown', 'nosave');
  for (let i = 0; i < 200 && cli(port, 'ping') === 'PONG'; i++) sleepSync(25);
  const dir = running.get(port);
  running.delete(port);
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

/** Waits (polling) until `check` holds, at most `timeout` ms. */
export async function until(check: () => boolean | Promise<boolean>, timeout = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Redis's `uptime_in_seconds`, or -1 when it does not answer. */
export function uptime(port: number): number {
  const match = /uptime_in_seconds:(\d+)/.exec(cli(port, 'info', 'server'));
  return match === null ? -1 : Number(match[1]);
}

/**
 * Waits until the server has been up for `seconds` (the restart guard holds
 * admissions on a server younger than the limiter's interval: tests that are
 * not about the guard start after it).
 */
export async function waitUptime(port: number, seconds = 1): Promise<void> {
  await until(() => uptime(port) >= seconds, seconds * 1000 + 3000, `uptime ${seconds} s`);
}
