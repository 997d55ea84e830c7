import { describe, expect, it } from 'vitest';
import { LinkedQueue, type Linked } from './queue.js';

interface Node extends Linked<Node> {
  id: number;
}
const node = (id: number): Node => ({ id, prev: null, next: null });

function ids(queue: LinkedQueue<Node>): number[] {
  const out: number[] = [];
  for (let n = queue.head; n !== null; n = n.next) out.push(n.id);
  return out;
}

describe('LinkedQueue', () => {
  it('is first in, first out', () => {
    const queue = new LinkedQueue<Node>();
    for (let i = 0; i < 5; i++) queue.push(node(i));
    expect(queue.size).toBe(5);
    expect([queue.shift()?.id, queue.shift()?.id]).toEqual([0, 1]);
    expect(ids(queue)).toEqual([2, 3, 4]);
  });

  it('removes any node in O(1), and removing twice does nothing', () => {
    const queue = new LinkedQueue<Node>();
    const nodes = [0, 1, 2, 3].map(node);
    for (const n of nodes) queue.push(n);
    queue.remove(nodes[1]!);
    queue.remove(nodes[1]!);
    queue.remove(nodes[3]!);
    queue.remove(nodes[0]!);
    expect(ids(queue)).toEqual([2]);
    expect(queue.size).toBe(1);
    expect(queue.has(nodes[2]!)).toBe(true);
    expect(queue.has(nodes[1]!)).toBe(false);
    queue.push(node(9));
    expect(ids(queue)).toEqual([2, 9]);
    expect(queue.tail?.id).toBe(9);
  });

  it('shift on an empty queue gives null', () => {
    expect(new LinkedQueue<Node>().shift()).toBeNull();
  });
});
