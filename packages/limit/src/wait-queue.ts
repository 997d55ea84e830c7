import { LinkedQueue, type Linked } from '@lf/scope/internal';

/** What a {@link WaitQueue} node carries besides its links. */
export interface Queued<N> extends Linked<N> {
  /** Which part of the queue holds it: 0 none, 1 the front list, 2 the main list. */
  where: 0 | 1 | 2;
}

/**
 * The Limiter's queue of waiting calls: FIFO, O(1) per operation (push,
 * take the head, remove any node), plus a front list for waiters that were
 * granted a slot but handed it back before starting (the limit was lowered
 * or the limiter paused in between): they go first, in their order.
 * Internal to @lf/limit.
 *
 * @example
 * ```ts
 * const q = new WaitQueue<Node>();
 * q.push(a); q.push(b); q.pushFront(c);
 * q.head(); // c
 * ```
 */
export class WaitQueue<N extends Queued<N>> {
  readonly #front = new LinkedQueue<N>();
  readonly #main = new LinkedQueue<N>();

  /** Waiters queued. */
  get size(): number {
    return this.#front.size + this.#main.size;
  }

  /** Appends `node` at the tail. */
  push(node: N): void {
    node.where = 2;
    this.#main.push(node);
  }

  /** Puts `node` before every waiter that never had a slot (after those already put back). */
  pushFront(node: N): void {
    node.where = 1;
    this.#front.push(node);
  }

  /** The next waiter to grant, or `null` when empty. */
  head(): N | null {
    return this.#front.head ?? this.#main.head;
  }

  /** Unlinks `node` wherever it is; does nothing if it is not queued. */
  remove(node: N): void {
    if (node.where === 1) this.#front.remove(node);
    else if (node.where === 2) this.#main.remove(node);
    node.where = 0;
  }

  /** Empties the queue and returns every waiter it held, in order. */
  takeAll(): N[] {
    const all: N[] = [];
    for (const list of [this.#front, this.#main]) {
      let node = list.takeAll();
      while (node !== null) {
        const next = node.next;
        node.next = null;
        node.prev = null;
        node.where = 0;
        all.push(node);
        node = next;
      }
    }
    return all;
  }
}
