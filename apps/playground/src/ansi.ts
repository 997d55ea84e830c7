/**
 * Terminal colours for the demo: on only when the output is a terminal, and
 * never when `NO_COLOR` is set to a non-empty value (https://no-color.org) or
 * `TERM` is `dumb`.
 */

/** What decides whether to colour: the stream's `isTTY` and the environment. */
export interface ColorSupport {
  readonly isTTY?: boolean | undefined;
}

/**
 * True when ANSI colours should be written to `stream`.
 *
 * @example
 * ```ts
 * const color = shouldColor(process.stdout, process.env);
 * ```
 */
export function shouldColor(stream: ColorSupport, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The styles the demo uses; each returns its text unchanged when colours are off. */
export interface Painter {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
}

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  magenta: [35, 39],
  cyan: [36, 39],
} as const;

/**
 * A painter that wraps text in ANSI codes when `enabled`, and returns it as it
 * is otherwise.
 *
 * @example
 * ```ts
 * const paint = createPainter(true);
 * console.log(paint.red('failed'));
 * ```
 */
export function createPainter(enabled: boolean): Painter {
  const style = (name: keyof typeof CODES) => {
    const [open, close] = CODES[name];
    return enabled ? (text: string) => `\u001b[${open}m${text}\u001b[${close}m` : (text: string) => text;
  };
  return {
    enabled,
    bold: style('bold'),
    dim: style('dim'),
    green: style('green'),
    yellow: style('yellow'),
    red: style('red'),
    magenta: style('magenta'),
    cyan: style('cyan'),
  };
}
