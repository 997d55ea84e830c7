import { describe, expect, it } from 'vitest';
import { CLIENT_KINDS } from '../test/clients.js';
import { useRedis } from '../test/redis-fixture.js';
import { redisCli, startRedis, stopRedis, until } from '../test/redis-server.js';
import { fromIoredis, fromNodeRedis } from './adapters.js';

/** The adapters' pub/sub: one duplicate connection, open only while something is subscribed. */
const server = useRedis(CLIENT_KINDS, 0);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Connections the server has, other than redis-cli's own. */
const connections = (): number =>
  redisCli(server.port, 'client', 'list')
    .split('\n')
    .filter((line) => line !== '' && !line.includes('cmd=client')).length;

describe.each(CLIENT_KINDS)('subscribe with %s', (kind) => {
  const client = {
    get scripts() {
      return server.client(kind).scripts;
    },
    command: (...args: string[]) => server.client(kind).command(...args),
  };

  it('delivers what is published on the channel to every listener, on one connection closed when the last one ends', async () => {
    const before = connections();
    const seen: string[] = [];
    const one = client.scripts.subscribe!('news', () => seen.push('one'));
    const two = client.scripts.subscribe!('news', () => seen.push('two'));
    const other = client.scripts.subscribe!('other', () => seen.push('other'));
    await Promise.all([one.ready, two.ready, other.ready]);
    expect(connections()).toBe(before + 1);
    await client.command('PUBLISH', 'news', '1');
    await until(() => seen.length === 2, 2000, 'the messages');
    expect(seen.sort()).toEqual(['one', 'two']);
    one.end();
    one.end(); // again: nothing happens
    other.end();
    await client.command('PUBLISH', 'news', '2');
    await until(() => seen.length === 3, 2000, 'the message');
    expect(seen[2]).toBe('two');
    two.end();
    await until(() => connections() === before, 2000, 'the subscriber connection to close');
  });

  it('a subscription ended while Redis is away leaves no connection trying to come back', async () => {
    stopRedis(server.port);
    const subscription = client.scripts.subscribe!('away', () => undefined);
    subscription.ready.catch(() => undefined);
    await sleep(100);
    subscription.end();
    await sleep(200);
    await startRedis(server.port);
    await sleep(800); // the clients' reconnect strategies retry within 200 ms
    await until(() => connections() === CLIENT_KINDS.length, 3000, 'only the main connections');
    await sleep(300);
    expect(connections()).toBe(CLIENT_KINDS.length);
  }, 15_000);
});

describe('the adapters', () => {
  it('give no subscribe when the client cannot duplicate itself', () => {
    const noop = () => Promise.resolve(undefined);
    expect('subscribe' in fromIoredis({ evalsha: noop, eval: noop })).toBe(false);
    expect('subscribe' in fromNodeRedis({ evalSha: noop, eval: noop })).toBe(false);
  });
});
