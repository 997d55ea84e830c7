/**
 * The fleet demo's terminal chart: one line per second with three bars, each
 * drawn against its limit line (requests granted, tokens granted, leases
 * held at once). On a terminal the bars are blocks and colours; anywhere
 * else (a pipe, a CI log) plain ASCII, no escape codes.
 */
import type { Painter } from '../ansi.js';
import type { FleetSettings } from './settings.js';
import type { FleetSecond } from './tally.js';

/** The glyphs of one chart style. */
export interface Glyphs {
  readonly fill: string;
  /** Leases still held by a killed worker (not yet expired). */
  readonly orphan: string;
  readonly line: string;
}

export const BLOCKS: Glyphs = { fill: '█', orphan: '░', line: '│' };
export const ASCII: Glyphs = { fill: '#', orphan: 'x', line: '|' };

/** Cells a bar may draw past its limit line (an overshoot shows, clipped). */
const OVER_CELLS = 4;

/**
 * A bar of `value` against `limit`, `width` cells up to the limit line: the
 * cells past the line are red. `orphan` more cells (leases a dead worker
 * still holds) follow the filled ones in the orphan glyph.
 *
 * @example
 * ```ts
 * bar(5, 10, 10, createPainter(false), ASCII); // "#####     |"
 * ```
 */
export function bar(value: number, limit: number, width: number, paint: Painter, glyphs: Glyphs, orphan = 0): string {
  const cells = (n: number): number => Math.round((Math.max(0, n) / limit) * width);
  const filled = Math.min(cells(value), width + OVER_CELLS);
  const total = Math.min(cells(value + orphan), width + OVER_CELLS);
  const orphans = total - filled;
  const inside = Math.min(filled, width);
  const insideOrphans = Math.min(orphans, width - inside);
  const blank = width - inside - insideOrphans;
  const over = filled - inside;
  // No escape codes around nothing.
  const style = (colour: 'green' | 'dim' | 'red', text: string): string => (text === '' ? '' : paint[colour](text));
  return (
    style('green', glyphs.fill.repeat(inside)) +
    style('dim', glyphs.orphan.repeat(insideOrphans)) +
    ' '.repeat(blank) +
    glyphs.line +
    style('red', glyphs.fill.repeat(over)) +
    ' '.repeat(OVER_CELLS - over)
  );
}

/** Bar widths (cells up to the limit line) of the three columns. */
export const WIDTHS = { starts: 16, tokens: 16, leases: 16 } as const;

function cell(text: string, width: number): string {
  return text.padStart(width);
}

/**
 * The chart's header: what each column counts and its limit.
 *
 * @example
 * ```ts
 * header(fleetSettings([], {}));
 * ```
 */
export function header(settings: FleetSettings): string {
  const col = (title: string, width: number): string => title.padEnd(width + 1 + OVER_CELLS + 7);
  return (
    '  s  ' +
    col(`requests/s (limit ${settings.requestsPerSecond})`, WIDTHS.starts) +
    col(`tokens/s (limit ${settings.tokensPerSecond})`, WIDTHS.tokens) +
    `leases held (limit ${settings.concurrency})`
  );
}

/**
 * One second's line: the second, then requests, tokens and leases, each as a
 * bar against its limit followed by its number. `orphans`: leases a killed
 * worker still holds (drawn after the live ones).
 *
 * @example
 * ```ts
 * line({ second: 0, starts: 16, tokens: 2800, leases: 8 }, fleetSettings([], {}), createPainter(false), ASCII);
 * ```
 */
export function line(row: FleetSecond, settings: FleetSettings, paint: Painter, glyphs: Glyphs, orphans = 0): string {
  const number = (value: number, limit: number, width: number): string => {
    const text = cell(String(value), width);
    return value > limit ? paint.red(text) : text;
  };
  return (
    cell(String(row.second + 1), 3) +
    '  ' +
    bar(row.starts, settings.requestsPerSecond, WIDTHS.starts, paint, glyphs) +
    number(row.starts, settings.requestsPerSecond, 5) +
    '  ' +
    bar(row.tokens, settings.tokensPerSecond, WIDTHS.tokens, paint, glyphs) +
    number(row.tokens, settings.tokensPerSecond, 5) +
    '  ' +
    bar(row.leases, settings.concurrency, WIDTHS.leases, paint, glyphs, orphans) +
    number(row.leases, settings.concurrency, 3) +
    (orphans > 0 ? paint.dim(` + ${orphans} held by the killed worker`) : '')
  );
}
