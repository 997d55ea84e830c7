import { describe, expect, it } from 'vitest';
import { createPainter } from '../ansi.js';
import { ASCII, BLOCKS, bar, header, line } from './chart.js';
import { fleetSettings } from './settings.js';

const plain = createPainter(false);

describe('bar', () => {
  it('fills up to the value, then the limit line, then room for an overshoot', () => {
    expect(bar(5, 10, 10, plain, ASCII)).toBe('#####     |    ');
    expect(bar(10, 10, 10, plain, ASCII)).toBe('##########|    ');
    expect(bar(0, 10, 10, plain, ASCII)).toBe('          |    ');
  });

  it('draws an overshoot past the line, clipped to 4 cells, in red on a terminal', () => {
    expect(bar(12, 10, 10, plain, ASCII)).toBe('##########|##  ');
    expect(bar(100, 10, 10, plain, ASCII)).toBe('##########|####');
    expect(bar(12, 10, 10, createPainter(true), BLOCKS)).toContain('\u001b[31m██\u001b[39m');
    // A bar inside its limit has no red part, not even an empty one.
    expect(bar(5, 10, 10, createPainter(true), BLOCKS)).not.toContain('\u001b[31m');
  });

  it("draws a dead worker's leases after the live ones, inside the line", () => {
    expect(bar(6, 8, 8, plain, ASCII, 2)).toBe('######xx|    ');
    expect(bar(8, 8, 8, plain, ASCII, 2)).toBe('########|    ');
  });

  it('has the same width whatever the value (the columns line up)', () => {
    for (const v of [0, 3, 8, 9, 50]) expect(bar(v, 8, 16, plain, ASCII, v % 3).length).toBe(21);
  });
});

describe('line', () => {
  const settings = fleetSettings([], {});

  it('shows the second (from 1) and each number after its bar, lined up under the header', () => {
    const text = line({ second: 0, starts: 16, tokens: 2800, leases: 8 }, settings, plain, ASCII);
    expect(text).toBe('  1  ################|       16  ############### |     2800  ################|      8');
    const head = header(settings);
    expect(head.indexOf('tokens/s')).toBe(text.indexOf(' 16  ') + 5);
    expect(head.indexOf('leases held')).toBe(text.indexOf(' 2800  ') + 7);
  });

  it("names the killed worker's leases while they are held", () => {
    expect(line({ second: 9, starts: 12, tokens: 2000, leases: 6 }, settings, plain, ASCII, 2)).toMatch(
      / #{12}x{4}\| +6 \+ 2 held by the killed worker$/,
    );
  });

  it('writes no escape codes when colours are off', () => {
    const text = line({ second: 3, starts: 99, tokens: 9999, leases: 99 }, settings, plain, BLOCKS, 1);
    expect(text).not.toContain('\u001b');
  });
});
