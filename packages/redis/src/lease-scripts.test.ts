import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeaseModel } from '../test/lease-model.js';
import { useRedis } from '../test/redis-fixture.js';
import { LEASE_ACQUIRE, LEASE_RELEASE, LEASE_RENEW } from './lease-scripts.js';
import { runScript, Script } from './run-script.js';

const scripts = { acquire: new Script(LEASE_ACQUIRE), renew: new Script(LEASE_RENEW), release: new Script(LEASE_RELEASE) };
const server = useRedis(['ioredis'], 1); // older than every lease below: the restart guard stays out of the way
const redis = () => server.client('ioredis');

type Op =
  | { kind: 'acquire'; want: number }
  | { kind: 'renew'; picks: number[] }
  | { kind: 'release'; picks: number[] }
  | { kind: 'sleep'; ms: number };

const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 3 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('acquire' as const), want: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('renew' as const), picks }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), picks }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sleep' as const), ms: fc.nat(60) }) },
);

let run = 0;

describe('the lease scripts against a pure TypeScript model of them', () => {
  it('grant, renew and release the same tokens with the same expiries on random sequences, never more than limit live', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 20, max: 120 }),
        fc.array(op, { minLength: 4, maxLength: 24 }),
        async (limit, leaseMs, ops) => {
          const key = `lease-model${run++}`;
          const keys = [`lf:{${key}}:lease`, `lf:{${key}}:lease:m`];
          const channel = `lf:{${key}}:lease:free`;
          const lease = leaseMs * 1000;
          const model = new LeaseModel();
          const tokens: number[] = [-1]; // every token handed out, and one that never was
          const pick = (indexes: number[]): number[] => indexes.map((i) => tokens[i % tokens.length]!);
          for (const o of ops) {
            if (o.kind === 'sleep') {
              await new Promise((resolve) => setTimeout(resolve, o.ms));
            } else if (o.kind === 'acquire') {
              const got = await runScript(redis().scripts, scripts.acquire, keys, [String(lease), String(limit), String(o.want)], 5000, 5);
              expect(got).toEqual(model.acquire(got[3]!, lease, limit, o.want));
              for (let i = 0; i < got[0]!; i++) tokens.push(got[1]! + i);
            } else if (o.kind === 'renew') {
              const chosen = pick(o.picks);
              const got = await runScript(
                redis().scripts,
                scripts.renew,
                keys,
                [String(lease), ...chosen.map(String)],
                5000,
                2 + chosen.length,
              );
              expect(got).toEqual(model.renew(got[0]!, lease, chosen));
            } else {
              const chosen = [...new Set(pick(o.picks))];
              const got = await runScript(redis().scripts, scripts.release, keys, [String(lease), channel, ...chosen.map(String)], 5000, 2);
              expect(got).toEqual(model.release(got[1]!, lease, chosen));
            }
            expect(model.leases.size).toBeLessThanOrEqual(limit);
            expect(Number(await redis().command('ZCARD', keys[0]!))).toBeGreaterThanOrEqual(model.leases.size); // the server may hold expired, unreaped ones
          }
          const ttl = Number(await redis().command('PTTL', keys[1]!));
          expect(ttl).toBeLessThanOrEqual(leaseMs + 1000);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it('a new state counts its tokens from the server time, above every token of an older state', async () => {
    const key = 'lease-fresh';
    const keys = [`lf:{${key}}:lease`, `lf:{${key}}:lease:m`];
    const first = await runScript(redis().scripts, scripts.acquire, keys, ['1000000', '2', '1'], 5000, 5);
    expect(first[1]).toBeGreaterThan(first[3]!); // above now (µs)
    await redis().command('DEL', ...keys); // the state is lost (a restart without persistence, say)
    const second = await runScript(redis().scripts, scripts.acquire, keys, ['1000000', '2', '1'], 5000, 5);
    expect(second[1]).toBeGreaterThan(first[1]!);
  });
});
