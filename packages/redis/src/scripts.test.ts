import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../test/clients.js';
import type { TestClient } from '../test/clients.js';
import { ScriptModel } from '../test/model.js';
import { startRedis, stopRedis, uptime, waitUptime } from '../test/redis-server.js';
import { runScript, Script } from './run-script.js';
import { ACQUIRE, CANCEL, PAUSE, SETTLE } from './scripts.js';

const acquire = new Script(ACQUIRE);
const settle = new Script(SETTLE);
const cancel = new Script(CANCEL);
const pause = new Script(PAUSE);

let port = 0;
let client: TestClient;

beforeAll(async () => {
  port = await startRedis();
  client = await connect('ioredis', port);
  await waitUptime(port, 1);
}, 10_000);

afterAll(async () => {
  await client.close();
  stopRedis(port);
});

type Op =
  | { kind: 'acquire'; a: number; b: number }
  | { kind: 'settle'; pick: number; a: number; b: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'pause'; ms: number }
  | { kind: 'sleep'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('acquire' as const), a: fc.nat(4), b: fc.nat(9) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), a: fc.nat(6), b: fc.nat(12) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.nat(80) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sleep' as const), ms: fc.nat(30) }) },
);

const limitsArb = fc.record({
  a: fc.record({ limit: fc.integer({ min: 1, max: 4 }), interval: fc.integer({ min: 20, max: 150 }) }),
  b: fc.record({ limit: fc.integer({ min: 2, max: 9 }), interval: fc.integer({ min: 20, max: 300 }) }),
});

let run = 0;

describe('the Lua scripts against a pure TypeScript model of them', () => {
  it('give the same slot, status and id on random sequences of acquire, settle, cancel and pause', async () => {
    await fc.assert(
      fc.asyncProperty(limitsArb, fc.array(op, { minLength: 4, maxLength: 24 }), async (limits, ops) => {
        const key = `model${run++}`;
        const tags = ['n:a', 'n:b'];
        const keys = [`lf:{${key}}:m`, ...tags.flatMap((t) => [`lf:{${key}}:${t}:a`, `lf:{${key}}:${t}:c`])];
        const up = uptime(port) * 1e6;
        const model = new ScriptModel(
          [
            { limit: limits.a.limit, interval: limits.a.interval * 1000 },
            { limit: limits.b.limit, interval: limits.b.interval * 1000 },
          ],
          () => up,
        );
        const span = String(Math.max(limits.a.interval, limits.b.interval) * 1000);
        const ids: number[] = [];
        for (const o of ops) {
          if (o.kind === 'acquire') {
            const a = Math.min(o.a, limits.a.limit);
            const b = Math.min(o.b, limits.b.limit);
            const args = [
              span,
              '2',
              'n:a',
              String(limits.a.limit),
              String(limits.a.interval * 1000),
              String(a),
              'n:b',
              String(limits.b.limit),
              String(limits.b.interval * 1000),
              String(b),
            ];
            const [status, id, slot, now] = await runScript(client.scripts, acquire, keys, args, 2000);
            expect({ status, id, slot }).toEqual(model.acquire(now!, [a, b]));
            ids.push(id!);
          } else if (o.kind === 'settle' && ids.length > 0) {
            const id = ids[o.pick % ids.length]!;
            const recent = model.isRecent(id);
            const [status] = await runScript(client.scripts, settle, keys, [String(id), '2', 'n:a', String(o.a), 'n:b', String(o.b)], 2000);
            const expected = model.settle(id, [o.a, o.b]);
            if (recent) expect(status).toBe(expected);
          } else if (o.kind === 'cancel' && ids.length > 0) {
            const id = ids[o.pick % ids.length]!;
            const recent = model.isRecent(id);
            const [status] = await runScript(client.scripts, cancel, keys, [String(id), '2', 'n:a', 'n:b'], 2000);
            const expected = model.cancel(id);
            if (recent) expect(status).toBe(expected);
          } else if (o.kind === 'pause') {
            const [, until, now] = await runScript(client.scripts, pause, keys.slice(0, 1), [span, String(o.ms * 1000)], 2000);
            expect(until).toBe(model.pause(now!, o.ms * 1000));
          } else if (o.kind === 'sleep') {
            await new Promise((resolve) => setTimeout(resolve, o.ms));
          }
        }
      }),
      { numRuns: 30 },
    );
  }, 30_000);

  it('never lets the server time go backwards: a stored high-water mark ahead of TIME is what counts', async () => {
    const keys = ['lf:{hw}:m', 'lf:{hw}::a', 'lf:{hw}::c'];
    const args = ['100000', '1', '', '5', '100000', '1'];
    const [, , , first] = await runScript(client.scripts, acquire, keys, args, 2000);
    const ahead = first! + 5_000_000;
    await client.command('HSET', 'lf:{hw}:m', 'hw', String(ahead));
    const [status, , slot, now] = await runScript(client.scripts, acquire, keys, args, 2000);
    expect(now).toBe(ahead);
    expect(slot).toBe(ahead);
    expect(status).toBe(0);
  });

  it('a request whose costs exceed what is left waits for the slot where every limit has room, and is recorded in all at that slot', async () => {
    const keys = ['lf:{atomic}:m', ...['n:a', 'n:b'].flatMap((t) => [`lf:{atomic}:${t}:a`, `lf:{atomic}:${t}:c`])];
    const args = (a: number, b: number): string[] => ['1000000', '2', 'n:a', '10', '1000000', String(a), 'n:b', '2', '500000', String(b)];
    const [s1, , slot1] = await runScript(client.scripts, acquire, keys, args(1, 2), 2000);
    const [s2, id2, slot2] = await runScript(client.scripts, acquire, keys, args(1, 1), 2000);
    expect(s1).toBe(0);
    expect(s2).toBe(1); // b is full until slot1 + 500 ms
    expect(slot2).toBe(slot1! + 500_000);
    expect(await client.command('ZSCORE', 'lf:{atomic}:n:a:a', String(id2).padStart(16, '0'))).toBe(String(slot2));
    expect(await client.command('ZSCORE', 'lf:{atomic}:n:b:a', String(id2).padStart(16, '0'))).toBe(String(slot2));
  });
});
