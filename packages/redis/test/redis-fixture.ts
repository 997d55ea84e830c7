/**
 * One throw-away redis-server for the tests of a file (or a `describe`),
 * with a connected client of each kind asked for: started in `beforeAll`,
 * closed and stopped in `afterAll`. Node only; not part of the package.
 */
import { afterAll, beforeAll } from 'vitest';
import { connect } from './clients.js';
import type { ClientKind, TestClient } from './clients.js';
import { startRedis, stopRedis, waitUptime } from './redis-server.js';

export interface RedisFixture {
  /** The server's port (the same after a restart on it). */
  readonly port: number;
  /** The connected client of `kind` (one of those asked for). */
  client(kind: ClientKind): TestClient;
}

/**
 * @param uptime - seconds the server must have been up before the tests
 *   start: the restart guard holds a new state on a server younger than the
 *   lease (or interval), and tests that are not about it start after it.
 */
export function useRedis(kinds: readonly ClientKind[], uptime = 2): RedisFixture {
  const clients = new Map<ClientKind, TestClient>();
  const fixture = {
    port: 0,
    client(kind: ClientKind): TestClient {
      const client = clients.get(kind);
      if (client === undefined) throw new Error(`no ${kind} client in this fixture`);
      return client;
    },
  };
  beforeAll(async () => {
    fixture.port = await startRedis();
    for (const kind of kinds) clients.set(kind, await connect(kind, fixture.port));
    await waitUptime(fixture.port, uptime);
  }, 15_000);
  afterAll(async () => {
    for (const client of clients.values()) await client.close();
    clients.clear();
    stopRedis(fixture.port);
  });
  return fixture;
}
