import { LinkedQueue, type Linked } from '@lf/scope/internal';

/** What a {@link WaitQueue} node carries besides its links. */
export interface Queued<N> extends Linked<N> {
  /** Which part of the queue holds it: 0 none, 1 the front list, 2 the default-priority list, 3 a priority bucket. */
  where: 0 | 1 | 2 | 3;
  /** Higher is served first; 0 is the default. Must not change while queued. */
  readonly priority: number;
}

/** The waiters of one priority other than 0, in arrival order. */
class Bucket<N extends Queued<N>> {
  readonly queue = new LinkedQueue<N>();
  /** Position in the heap of buckets. */
  heapIndex = 0;
  constructor(readonly priority: number) {}
}

/**
 * The Limiter's queue of waiting calls: the highest priority first, FIFO
 * among equal priorities.
 *
 * - Priority 0 (the default, and the only one most limiters ever see) lives
 *   in a linked FIFO: push, take the head and remove any node are O(1).
 * - Every other priority has a bucket, a linked FIFO of its own, and the
 *   buckets sit in a binary max-heap by priority. Push, take the head and
 *   remove any node (an abort) are O(1) within a bucket, plus O(log k) for
 *   the heap when a bucket appears or empties (k = distinct priorities
 *   queued). perf: with few distinct priorities (the usual use), every
 *   operation is O(1) and touches no other waiter; a heap of waiters was
 *   measured 5-10x slower than the plain FIFO at 1e5 waiters (a cache miss
 *   per level), buckets are not.
 * - A front list holds waiters that were granted a slot but handed it back
 *   before starting (the limit was lowered or the limiter paused in
 *   between): they go first, in their order.
 *
 * Internal to @lf/limit.
 *
 * @example
 * ```ts
 * const q = new WaitQueue<Node>();
 * q.push(a);       // a.priority 0
 * q.push(b);       // b.priority 5
 * q.head();        // b
 * ```
 */
export class WaitQueue<N extends Queued<N>> {
  readonly #front = new LinkedQueue<N>();
  readonly #plain = new LinkedQueue<N>();
  readonly #buckets = new Map<number, Bucket<N>>();
  readonly #heap: Bucket<N>[] = [];
  /** Waiters in buckets. */
  #inBuckets = 0;

  /** Waiters queued. */
  get size(): number {
    return this.#front.size + this.#plain.size + this.#inBuckets;
  }

  /** Queues `node` by its `priority`, after every waiter of the same priority. */
  push(node: N): void {
    const priority = node.priority;
    if (priority === 0) {
      node.where = 2;
      this.#plain.push(node);
      return;
    }
    let bucket = this.#buckets.get(priority);
    if (bucket === undefined) {
      bucket = new Bucket<N>(priority);
      this.#buckets.set(priority, bucket);
      bucket.heapIndex = this.#heap.length;
      this.#heap.push(bucket);
      this.#up(bucket.heapIndex);
    }
    node.where = 3;
    bucket.queue.push(node);
    this.#inBuckets++;
  }

  /** Puts `node` before every waiter that never had a slot (after those already put back). */
  pushFront(node: N): void {
    node.where = 1;
    this.#front.push(node);
  }

  /** Removes and returns the next waiter to grant, or `null` when empty. */
  shift(): N | null {
    if (this.#inBuckets === 0 && this.#front.head === null) {
      // perf: the usual queue (default priority only) skips the dispatch of head() and remove()
      // (benchmarks/RESULTS.md, "Limiter.run with 1e+3 calls queued at once").
      const node = this.#plain.head;
      if (node !== null) {
        node.where = 0;
        this.#plain.remove(node);
      }
      return node;
    }
    const node = this.head();
    if (node !== null) this.remove(node);
    return node;
  }

  /** The next waiter to grant, or `null` when empty. */
  head(): N | null {
    const front = this.#front.head;
    if (front !== null) return front;
    const plain = this.#plain.head;
    const top = this.#heap[0];
    if (top === undefined) return plain;
    return plain === null || top.priority > 0 ? top.queue.head : plain;
  }

  /** Unlinks `node` wherever it is; does nothing if it is not queued. */
  remove(node: N): void {
    const where = node.where;
    node.where = 0;
    if (where === 2) {
      this.#plain.remove(node);
    } else if (where === 3) {
      const bucket = this.#buckets.get(node.priority);
      if (bucket === undefined) return;
      bucket.queue.remove(node);
      this.#inBuckets--;
      if (bucket.queue.size === 0) {
        this.#buckets.delete(bucket.priority);
        this.#removeAt(bucket.heapIndex);
      }
    } else if (where === 1) {
      this.#front.remove(node);
    }
  }

  /** Empties the queue and returns every waiter it held, in the order they would have been served. */
  takeAll(): N[] {
    const all: N[] = [];
    for (let node = this.shift(); node !== null; node = this.shift()) all.push(node);
    return all;
  }

  #removeAt(i: number): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || i === heap.length) return; // it was the last one
    heap[i] = last;
    last.heapIndex = i;
    this.#up(i);
    this.#down(last.heapIndex);
  }

  /** Moves the bucket at `i` up until its parent has a higher priority. */
  #up(i: number): void {
    const heap = this.#heap;
    const bucket = heap[i];
    if (bucket === undefined) return;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex];
      if (parent === undefined || parent.priority >= bucket.priority) break;
      heap[i] = parent;
      parent.heapIndex = i;
      i = parentIndex;
    }
    heap[i] = bucket;
    bucket.heapIndex = i;
  }

  /** Moves the bucket at `i` down until both children have lower priorities. */
  #down(i: number): void {
    const heap = this.#heap;
    const n = heap.length;
    const bucket = heap[i];
    if (bucket === undefined) return;
    for (let left = 2 * i + 1; left < n; left = 2 * i + 1) {
      let childIndex = left;
      let child = heap[left];
      if (child === undefined) break;
      if (left + 1 < n) {
        const right = heap[left + 1];
        if (right !== undefined && right.priority > child.priority) {
          child = right;
          childIndex = left + 1;
        }
      }
      if (child.priority <= bucket.priority) break;
      heap[i] = child;
      child.heapIndex = i;
      i = childIndex;
    }
    heap[i] = bucket;
    bucket.heapIndex = i;
  }
}
