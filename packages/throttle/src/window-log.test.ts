import { describe, expect, it } from 'vitest';
import { WindowLog } from './window-log.js';

describe('WindowLog', () => {
  it('an entry leaves the window exactly interval ms after its release (half-open windows)', () => {
    const log = new WindowLog(1, 100);
    log.push(10, 1);
    expect(log.freeAt(109.999, 1)).toBe(110);
    log.prune(110);
    expect(log.size).toBe(0);
    expect(log.freeAt(110, 1)).toBe(110);
  });

  it('freeAt is the time enough cost has left for the new cost to fit', () => {
    const log = new WindowLog(10, 100);
    log.push(0, 4);
    log.push(20, 4);
    log.push(40, 2);
    expect(log.freeAt(50, 0)).toBe(50); // cost 0 always fits
    expect(log.freeAt(50, 4)).toBe(100); // the 4 at 0 must leave
    expect(log.freeAt(50, 7)).toBe(120); // 4 at 0 and 4 at 20
    expect(log.freeAt(50, 10)).toBe(140); // everything
  });

  it("settle replaces an entry's cost in the sum, and does nothing once it has left", () => {
    const log = new WindowLog(10, 100);
    const a = log.push(0, 8);
    const b = log.push(10, 1);
    expect(log.sum).toBe(9);
    expect(log.settle(a, 2)).toBe(true);
    expect(log.sum).toBe(3);
    expect(log.settle(b, 12)).toBe(true); // above the limit: allowed, it holds the window
    expect(log.freeAt(20, 1)).toBe(110);
    log.prune(100);
    expect(log.settle(a, 5)).toBe(false); // gone
    expect(log.sum).toBe(12);
  });

  it('grows past its first capacity and keeps the order and the sequence numbers', () => {
    const log = new WindowLog(1000, 1_000_000);
    const seqs = Array.from({ length: 3000 }, (_, i) => log.push(i, 0.25));
    expect(seqs).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(log.sum).toBe(750);
    log.prune(1_000_000 + 1499.5); // entries 0..1499 have left
    expect(log.size).toBe(1500);
    expect(log.settle(1499, 1)).toBe(false);
    expect(log.settle(1500, 1)).toBe(true);
    expect(log.sum).toBe(375.75);
  });
});
