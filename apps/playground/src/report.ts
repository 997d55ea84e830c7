import { isDeepStrictEqual } from 'node:util';
import { createPainter, type Painter } from './ansi.js';
import { show } from './format.js';
import type { Timeline } from './timeline.js';

/**
 * Where an example writes: its heading, the code it runs, result lines,
 * timelines, and the checks it makes on the results (a failed check makes the
 * demo exit non-zero, so the demo doubles as a smoke test of the packages).
 *
 * @example
 * ```ts
 * const report = new Report((line) => console.log(line));
 * report.heading(1, 'alcall: basic');
 * report.result('results', [2, 4, 6]);
 * ```
 */
export class Report {
  readonly #write: (line: string) => void;
  readonly paint: Painter;
  readonly width: number;
  /** Every failed check and late timeline event, in order. */
  readonly problems: string[] = [];

  constructor(write: (line: string) => void, paint: Painter = createPainter(false), width = 48) {
    this.#write = write;
    this.paint = paint;
    this.width = width;
  }

  /** `== 3. alcall: retries + timing ==`, after a blank line. */
  heading(index: number, title: string): void {
    this.#write('');
    this.#write(this.paint.bold(this.paint.cyan(`== ${index}. ${title} ==`)));
  }

  /**
   * `## L1. LLM client: … ##`, after a blank line: a heading of the LLM-client
   * scenarios, numbered apart from the seed examples' `== N. … ==`.
   */
  scenarioHeading(index: number, title: string): void {
    this.#write('');
    this.#write(this.paint.bold(this.paint.magenta(`## L${String(index)}. ${title} ##`)));
  }

  /** A sub-heading inside an example. */
  section(title: string): void {
    this.#write(`  ${this.paint.bold(`-- ${title}`)}`);
  }

  /** The code the example runs, one `>` line per line. */
  code(text: string): void {
    for (const line of text.split('\n')) this.#write(this.paint.dim(`  > ${line}`));
  }

  /** Free text. */
  line(text: string): void {
    this.#write(`  ${text}`);
  }

  /** `  <label>: <value>` with the value printed by {@link show}. */
  result(label: string, value: unknown): void {
    this.#write(`  ${label}: ${show(value)}`);
  }

  /** Draws `tl` (stopping it) and reports any event recorded after it stopped. */
  timeline(tl: Timeline): void {
    for (const line of tl.render({ width: this.width, paint: this.paint })) this.#write(`  ${line}`);
    if (tl.late.length > 0) this.#problem(`work ran after its call settled: ${tl.late.join(', ')}`);
  }

  /** Records a failed check when `ok` is false. */
  check(ok: boolean, what: string): void {
    if (!ok) this.#problem(what);
  }

  /** Checks that `actual` deep-equals `expected`. */
  expectEqual(actual: unknown, expected: unknown, what: string): void {
    this.check(isDeepStrictEqual(actual, expected), `${what}: expected ${show(expected)}, got ${show(actual)}`);
  }

  #problem(text: string): void {
    this.problems.push(text);
    this.#write(this.paint.red(`  !! ${text}`));
  }
}
