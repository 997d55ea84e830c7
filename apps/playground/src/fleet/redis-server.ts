/**
 * A throw-away `redis-server` for the fleet demo: started as a child process
 * on a free loopback port, without persistence, in a temporary directory,
 * and stopped (and its directory removed) when the demo ends, however it
 * ends. Node only.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What to print when `redis-server` is not installed: what is missing and
 * how to install it on this platform.
 *
 * @example
 * ```ts
 * process.stderr.write(missingRedisServer(process.platform));
 * ```
 */
export function missingRedisServer(platform: string): string {
  const how =
    platform === 'darwin'
      ? ['brew install redis']
      : platform === 'win32'
        ? ['use WSL (then: sudo apt-get install redis-server) or Docker: docker run -p 6379:6379 redis']
        : [
            'sudo apt-get install redis-server      (Debian, Ubuntu)',
            'brew install redis                     (macOS)',
            'or your distribution\'s "redis" package',
          ];
  return [
    'playground:fleet needs redis-server (Redis >= 6.2) on your PATH: it starts a throw-away one on a free loopback port.',
    'Install it with:',
    ...how.map((h) => `  ${h}`),
    'then run `pnpm playground:fleet` again.',
    '',
  ].join('\n');
}

/** The `redis-server --version` line, or undefined when it is not installed. */
export function redisServerVersion(): string | undefined {
  const result = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

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
        else reject(new Error('no free port'));
      });
    });
  });
}

/** True when a Redis server answers PING on `port` within `timeout` ms. */
export function ping(port: number, timeout = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => {
      done(false);
    }, timeout);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => {
      done(false);
    });
  });
}

/** A running server; `stop()` is safe to call twice and from an exit handler (it is synchronous). */
export interface RedisServer {
  readonly port: number;
  readonly process: ChildProcessByStdio<null, null, Readable>;
  /** Resolves once the server process has exited. */
  readonly exited: Promise<void>;
  /** Asks the server to stop (SIGTERM; SIGKILL 2 s later if it is still there) and removes its directory. */
  stop(): void;
}

/**
 * Starts `redis-server` on a free loopback port and waits until it answers
 * PING (at most 10 s). Rejects when it does not start.
 *
 * @example
 * ```ts
 * const server = await startRedisServer();
 * try { ... } finally { server.stop(); }
 * ```
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lf-fleet-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  let stopped = false;
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const server: RedisServer = {
    port,
    process: child,
    exited,
    stop() {
      if (stopped) return;
      stopped = true;
      // SIGTERM: redis-server shuts down at once (nothing to save); SIGKILL if it is still there.
      if (running()) {
        child.kill('SIGTERM');
        setTimeout(() => {
          if (running()) child.kill('SIGKILL');
        }, 2000).unref();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      server.stop();
      throw new Error(`redis-server exited with ${child.exitCode}: ${stderr.trim()}`);
    }
    if (await ping(port)) return server;
    if (Date.now() > deadline) {
      server.stop();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
      throw new Error(`redis-server on port ${port} did not answer within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
