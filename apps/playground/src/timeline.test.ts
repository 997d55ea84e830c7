import { describe, expect, it } from 'vitest';
import { createPainter } from './ansi.js';
import { GLYPHS, Timeline, formatMs, legend } from './timeline.js';

/** A timeline on a clock the test moves by hand. */
function manual() {
  let time = 1000; // a non-zero origin: rows are relative to the timeline's creation
  const tl = new Timeline(() => time);
  return {
    tl,
    at: (ms: number) => {
      time = 1000 + ms;
    },
  };
}

/** The scenario drawn in the render tests: 100 ms on 10 columns (10 ms per column). */
function scenario() {
  const { tl, at } = manual();
  tl.wait('a');
  tl.wait('b');
  tl.wait('c');
  tl.run('a');
  tl.run('d');
  at(20);
  tl.run('b');
  at(30);
  tl.cancel('c');
  at(40);
  tl.done('a');
  tl.note('a', '-> 2');
  at(50);
  tl.fail('b');
  at(60);
  tl.fail('d');
  at(70);
  tl.run('b');
  at(100);
  tl.done('b');
  return tl;
}

describe('Timeline recording', () => {
  it('records each phase with its start and end, relative to the timeline creation', () => {
    const { tl, at } = manual();
    tl.wait('x');
    at(10);
    tl.run('x');
    at(25);
    tl.done('x');
    expect(tl.rows()).toEqual([
      {
        label: 'x',
        segments: [
          { phase: 'wait', start: 0, end: 10 },
          { phase: 'run', start: 10, end: 25 },
        ],
        marks: [],
        note: '',
      },
    ]);
  });

  it('draws the time between a failed attempt and the next run as backoff', () => {
    const { tl, at } = manual();
    tl.run('x');
    at(5);
    tl.fail('x');
    at(15);
    tl.run('x');
    at(20);
    tl.done('x');
    const [row] = tl.rows();
    expect(row!.segments.map((s) => [s.phase, s.start, s.end])).toEqual([
      ['run', 0, 5],
      ['backoff', 5, 15],
      ['run', 15, 20],
    ]);
    expect(row!.marks).toEqual([{ kind: 'fail', at: 5 }]);
  });

  it('drops the pending backoff of a row whose last attempt failed', () => {
    const { tl, at } = manual();
    tl.run('x');
    at(5);
    tl.fail('x');
    at(50);
    tl.stop();
    expect(tl.rows()[0]!.segments).toEqual([{ phase: 'run', start: 0, end: 5 }]);
  });

  it('cancelWaiting cancels only the rows still waiting and names them', () => {
    const { tl, at } = manual();
    tl.wait('started');
    tl.wait('queued 1');
    tl.wait('queued 2');
    tl.run('started');
    at(7);
    expect(tl.cancelWaiting()).toEqual(['queued 1', 'queued 2']);
    const rows = tl.rows();
    expect(rows[0]!.marks).toEqual([]);
    expect(rows[1]!.marks).toEqual([{ kind: 'cancel', at: 7 }]);
    expect(rows[2]!.segments).toEqual([{ phase: 'wait', start: 0, end: 7 }]);
  });

  it('stop() closes open phases at the stop time and freezes elapsed()', () => {
    const { tl, at } = manual();
    tl.run('x');
    at(30);
    expect(tl.stop()).toBe(30);
    at(90);
    expect(tl.stop()).toBe(30);
    expect(tl.elapsed()).toBe(30);
    expect(tl.rows()[0]!.segments).toEqual([{ phase: 'run', start: 0, end: 30 }]);
  });

  it('lists events recorded after stop() as late and leaves the rows unchanged', () => {
    const { tl, at } = manual();
    tl.run('x');
    at(10);
    tl.done('x');
    tl.stop();
    const before = tl.rows();
    tl.run('x');
    tl.fail('x');
    tl.cancel('y');
    expect(tl.late).toEqual(['x run', 'x fail', 'y cancel']);
    expect(tl.rows()).toEqual(before);
  });
});

describe('Timeline rendering', () => {
  it('draws one row per label with wait, run, backoff, failure and cancel glyphs, then the axis', () => {
    const lines = scenario().render({ width: 10 });
    expect(lines).toEqual([
      'a |####      | -> 2',
      'b |..##x~~###|',
      'c |..!       |',
      'd |#####x    |',
      '   0     100ms',
      '   1 column = 10ms',
    ]);
  });

  it('ends the axis label under the closing bar', () => {
    const lines = scenario().render({ width: 20 });
    expect(lines[4]!.length).toBe(lines[1]!.length);
    expect(lines[4]!.endsWith('100ms')).toBe(true);
  });

  it('gives even a very short run a column', () => {
    const { tl, at } = manual();
    tl.wait('x');
    at(99.5);
    tl.run('x');
    at(99.6);
    tl.done('x');
    tl.run('y');
    at(100);
    tl.done('y');
    expect(tl.render({ width: 10 })[0]).toBe('x |.........#|');
  });

  it('colours glyphs only when the painter is enabled', () => {
    const plain = scenario()
      .render({ width: 10, paint: createPainter(false) })
      .join('\n');
    const coloured = scenario()
      .render({ width: 10, paint: createPainter(true) })
      .join('\n');
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain('\u001b[32m####\u001b[39m');
    expect(coloured).toContain('\u001b[31mx\u001b[39m');
    expect(coloured).toContain('\u001b[35m!\u001b[39m');
  });

  it('refuses a width too small to draw', () => {
    expect(() => new Timeline().render({ width: 3 })).toThrow(RangeError);
  });
});

describe('legend and formatMs', () => {
  it('the legend explains every glyph', () => {
    const text = legend();
    for (const glyph of Object.values(GLYPHS)) expect(text).toContain(`${glyph} `);
    expect(text).toMatch(/running.*waiting.*retry backoff.*failed.*cancelled/);
  });

  it('formats durations for the axis', () => {
    expect(formatMs(4.25)).toBe('4.3ms');
    expect(formatMs(42.4)).toBe('42ms');
    expect(formatMs(1234)).toBe('1.23s');
  });
});
