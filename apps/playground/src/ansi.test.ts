import { describe, expect, it } from 'vitest';
import { createPainter, shouldColor } from './ansi.js';

describe('shouldColor', () => {
  it('colours a terminal', () => {
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
  });

  it('does not colour a pipe or a file', () => {
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({}, {})).toBe(false);
  });

  it('respects NO_COLOR when it is set to a non-empty value', () => {
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('does not colour a dumb terminal', () => {
    expect(shouldColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});

describe('createPainter', () => {
  it('wraps text in ANSI codes when enabled', () => {
    const paint = createPainter(true);
    expect(paint.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(paint.bold('b')).toBe('\u001b[1mb\u001b[22m');
  });

  it('returns text unchanged when disabled', () => {
    const paint = createPainter(false);
    for (const style of ['bold', 'dim', 'green', 'yellow', 'red', 'magenta', 'cyan'] as const) {
      expect(paint[style]('text')).toBe('text');
    }
  });
});
