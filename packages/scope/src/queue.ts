/**
 * An intrusive doubly linked FIFO: the nodes carry their own `prev`/`next`
 * links, so `push`, `shift` and `remove` (of any node, e.g. one whose signal
 * aborted) are all O(1) with no allocation beyond the node itself.
 * Shared by lf packages through `@lf/scope/internal`.
 */

/** What a node of a {@link LinkedQueue} must carry. */
export interface Linked<N> {
  prev: N | null;
  next: N | null;
}

/**
 * O(1) FIFO of intrusive nodes.
 *
 * @example
 * ```ts
 * const q = new LinkedQueue<Node>();
 * q.push(a); q.push(b);
 * q.remove(a); // O(1), wherever `a` is
 * q.shift(); // b
 * ```
 */
export class LinkedQueue<N extends Linked<N>> {
  head: N | null = null;
  tail: N | null = null;
  size = 0;

  /** Appends `node` at the tail. */
  push(node: N): void {
    node.next = null;
    node.prev = this.tail;
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.size++;
  }

  /** Removes and returns the head, or `null` when empty. */
  shift(): N | null {
    const node = this.head;
    if (node === null) return null;
    this.remove(node);
    return node;
  }

  /** True while `node` is in this queue. */
  has(node: N): boolean {
    return node.prev !== null || this.head === node;
  }

  /** Unlinks `node` from wherever it is; does nothing if it is not queued. */
  remove(node: N): void {
    const { prev, next } = node;
    if (prev === null && this.head !== node) return;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    node.prev = null;
    node.next = null;
    this.size--;
  }

  /** Empties the queue and returns the former head (walk it with `next`, read before unlinking). */
  takeAll(): N | null {
    const head = this.head;
    this.head = null;
    this.tail = null;
    this.size = 0;
    return head;
  }
}
