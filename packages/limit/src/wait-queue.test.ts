import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.js';
import { WaitQueue, type Queued } from './wait-queue.js';

class Node implements Queued<Node> {
  prev: Node | null = null;
  next: Node | null = null;
  where: 0 | 1 | 2 | 3 = 0;
  constructor(
    readonly id: number,
    readonly priority: number,
  ) {}
}

/** The reference order: a stable sort by priority, highest first. */
function stableByPriority<T extends { priority: number }>(items: T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => b.item.priority - a.item.priority || a.i - b.i)
    .map(({ item }) => item);
}

describe('WaitQueue', () => {
  it('serves the highest priority first, FIFO among equals, with the default priority 0 in between', () => {
    const q = new WaitQueue<Node>();
    const nodes = [0, 2, 0, -1, 2, 1, 0, -1].map((p, i) => new Node(i, p));
    for (const node of nodes) q.push(node);
    expect(q.size).toBe(8);
    expect(q.takeAll().map((n) => n.id)).toEqual(stableByPriority(nodes).map((n) => n.id));
    expect(q.size).toBe(0);
    expect(q.head()).toBeNull();
  });

  it('a node put back goes before everything that never had a slot', () => {
    const q = new WaitQueue<Node>();
    const high = new Node(1, 9);
    q.push(high);
    const back = new Node(2, -5);
    q.pushFront(back);
    expect(q.head()).toBe(back);
    q.remove(back);
    expect(q.head()).toBe(high);
  });

  it('property: with random pushes and removals, the order served is the stable sort by priority desc', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            priority: fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
            removed: fc.boolean(),
            takeBefore: fc.nat({ max: 2 }),
          }),
          { maxLength: 80 },
        ),
        (ops) => {
          const q = new WaitQueue<Node>();
          const model: Node[] = [];
          const served: Node[] = [];
          const expected: Node[] = [];
          const live: Node[] = [];
          ops.forEach((op, id) => {
            for (let k = 0; k < op.takeBefore && q.head() !== null; k++) {
              const head = q.head()!;
              const want = stableByPriority(model)[0]!;
              q.remove(head);
              served.push(head);
              expected.push(want);
              model.splice(model.indexOf(want), 1);
            }
            const node = new Node(id, op.priority);
            q.push(node);
            model.push(node);
            live.push(node);
            if (op.removed) {
              // remove a random earlier live node (an abort)
              const victim = live[(id * 7919) % live.length]!;
              if (model.includes(victim)) {
                q.remove(victim);
                model.splice(model.indexOf(victim), 1);
              }
            }
            expect(q.size).toBe(model.length);
          });
          served.push(...q.takeAll());
          expected.push(...stableByPriority(model));
          expect(served.map((n) => n.id)).toEqual(expected.map((n) => n.id));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Limiter priority, as a property', () => {
  it('calls start in the order of a stable sort by priority desc, whatever was scheduled and aborted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            priority: fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }),
            acquire: fc.boolean(),
            // abort this waiter while it is queued: before the run starts, or when the call at that position starts
            abortAt: fc.option(fc.nat({ max: 40 }), { nil: undefined }),
          }),
          { maxLength: 40 },
        ),
        async (ops) => {
          const limiter = new Limiter(1);
          const hold = await limiter.acquire();
          const started: number[] = [];
          const controllers = ops.map(() => new AbortController());
          const aborters = new Map<number, number[]>(); // position in the start order -> ids to abort then
          const settled = ops.map((op, id) => {
            const opts = { signal: controllers[id]!.signal, priority: op.priority };
            if (op.abortAt !== undefined && op.abortAt > 0) aborters.set(op.abortAt - 1, [...(aborters.get(op.abortAt - 1) ?? []), id]);
            const onStart = (): void => {
              const position = started.length;
              started.push(id);
              for (const victim of aborters.get(position) ?? []) controllers[victim]!.abort();
            };
            const p = op.acquire
              ? limiter.acquire(opts).then((release) => {
                  onStart();
                  release();
                })
              : limiter.schedule(onStart, opts);
            return p.then(
              () => 'ran',
              () => 'aborted',
            );
          });
          for (const [id, op] of ops.entries()) if (op.abortAt === 0) controllers[id]!.abort();
          hold();
          await Promise.all(settled);
          // the model: repeatedly start the best waiting one, then apply the aborts its start makes
          const waiting = ops.map((op, id) => ({ id, priority: op.priority ?? 0 })).filter(({ id }) => ops[id]!.abortAt !== 0);
          const expected: number[] = [];
          while (waiting.length > 0) {
            const next = stableByPriority(waiting)[0]!;
            waiting.splice(waiting.indexOf(next), 1);
            for (const victim of aborters.get(expected.length) ?? []) {
              const at = waiting.findIndex((w) => w.id === victim);
              if (at >= 0) waiting.splice(at, 1);
            }
            expected.push(next.id);
          }
          expect(started).toEqual(expected);
          expect(limiter.activeCount + limiter.pendingCount).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
