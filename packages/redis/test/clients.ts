/**
 * Test clients: every client lf supports, connected to a test server, with
 * their error events swallowed (a server the test stops on purpose is not an
 * uncaught exception). Node only; not part of the package.
 */
import { fromIoredis, fromNodeRedis } from '../src/adapters.js';
import type { RedisScripts } from '../src/adapters.js';

export type ClientKind = 'ioredis' | 'node-redis' | 'node-redis-resp3' | 'node-redis-4';
export const CLIENT_KINDS: readonly ClientKind[] = ['ioredis', 'node-redis', 'node-redis-resp3', 'node-redis-4'];

export interface TestClient {
  readonly kind: ClientKind;
  readonly scripts: RedisScripts;
  /** Any plain command, for the test's own checks. */
  command(...args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

const reconnect = (retries: number): number => Math.min(50 * (retries + 1), 200);

export async function connect(kind: ClientKind, port: number): Promise<TestClient> {
  // Each client library loads only when used (a child process of a fleet needs one).
  if (kind === 'ioredis') {
    const { Redis } = await import('ioredis');
    const client = new Redis({ host: '127.0.0.1', port, retryStrategy: reconnect, maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('end', () => {
        reject(new Error('ioredis did not connect'));
      });
    });
    return {
      kind,
      scripts: fromIoredis(client),
      command: (name, ...args) => client.call(name, ...args),
      close: () => {
        client.disconnect();
        return Promise.resolve();
      },
    };
  }
  if (kind === 'node-redis-4') {
    const { createClient: createClient4 } = await import('redis4');
    const client = createClient4({ socket: { host: '127.0.0.1', port, reconnectStrategy: reconnect } });
    client.on('error', () => undefined);
    await client.connect();
    return {
      kind,
      scripts: fromNodeRedis(client),
      command: (...args) => client.sendCommand(args),
      close: async () => {
        await client.disconnect().catch(() => undefined);
      },
    };
  }
  const { createClient } = await import('redis');
  const client = createClient({
    socket: { host: '127.0.0.1', port, reconnectStrategy: reconnect },
    RESP: kind === 'node-redis-resp3' ? 3 : 2,
  });
  client.on('error', () => undefined);
  await client.connect();
  return {
    kind,
    scripts: fromNodeRedis(client),
    command: (...args) => client.sendCommand<unknown>(args),
    close: () => {
      client.destroy();
      return Promise.resolve();
    },
  };
}
