/**
 * Reading an options object the way every lf call does: once, at the start,
 * own and inherited properties alike (getters called once), and no name that
 * the call does not know (a typo is a TypeError with a suggestion).
 */
import { mistyped } from './validate.js';

/** Levenshtein distance (only on an error's path: no early exit, the smallest code). */
function distance(a: string, b: string): number {
  let previous = [...Array(b.length + 1).keys()];
  for (let i = 0; i < a.length; i++) {
    const current = [i + 1];
    for (let j = 0; j < b.length; j++) {
      current.push(Math.min((previous[j + 1] ?? 0) + 1, (current[j] ?? 0) + 1, (previous[j] ?? 0) + (a[i] === b[j] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The known name closest to `name`, when it is close enough to be a typo
 * (an edit distance of at most a third of its length, at least 1; the same
 * letters in another case; or a part of a known name, as p-retry's `retries`
 * is of `numRetries`); otherwise `undefined`.
 */
export function suggestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3));
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    if (other === lower) return candidate;
    // A peer's shorter name for the same thing (p-retry's `retries` for `numRetries`).
    if (lower.length >= 4 && best === undefined && other.includes(lower)) best = candidate;
    const d = distance(lower, other);
    if (d < bestDistance || (d === bestDistance && best === undefined)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Every enumerable property name of `options`, own and inherited (a class
 * instance's getters included), except those of `Object.prototype`.
 */
function optionNames(options: object): string[] {
  const proto: unknown = Object.getPrototypeOf(options);
  // perf: a plain object literal (the usual case) needs no prototype walk.
  if (proto === Object.prototype || proto === null) return Object.keys(options);
  const names: string[] = [];
  const seen = new Set<string>();
  for (let o: object | null = options; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const descriptor = Object.getOwnPropertyDescriptor(o, name);
      // An own data property must be enumerable to count; accessors on a prototype
      // (a class's `get numRetries()`) count, as the options a user wrote, but not its `constructor`.
      if (o === options ? descriptor?.enumerable : name !== 'constructor' && (descriptor?.get !== undefined || descriptor?.enumerable)) {
        names.push(name);
      }
    }
  }
  return names;
}

/**
 * Reads `options` once into a plain, frozen snapshot of the known names:
 * own and inherited properties, getters called once each. An unknown name is
 * a TypeError naming it (`alcall: unknown option 'maxConcurency' (did you
 * mean 'maxConcurrent'?)`). `undefined` reads as `{}`; anything that is not
 * an object is a TypeError naming `label`.
 *
 * Properties whose value is `undefined` are kept only when `keepUndefined`
 * lists them (retry's `retryDefault` means something when present).
 *
 * @example
 * ```ts
 * const o = readOptions('retry', opts, ['numRetries', 'retryDelay', 'signal']);
 * // later changes to `opts` change nothing: `o` is what runs
 * ```
 */
export function readOptions<K extends string>(
  fnName: string,
  options: unknown,
  known: readonly K[],
  keepUndefined: readonly K[] = [],
  label = 'options',
): Readonly<Partial<Record<K, unknown>>> {
  if (options === undefined) return EMPTY as Readonly<Partial<Record<K, unknown>>>;
  if (typeof options !== 'object' || options === null) throw mistyped(`${fnName}: ${label}`, 'an object', options);
  const knownSet = new Set<string>(known);
  const snapshot: Partial<Record<K, unknown>> = {};
  for (const name of optionNames(options)) {
    if (!knownSet.has(name)) {
      const hint = suggestName(name, known);
      throw new TypeError(`${fnName}: unknown option '${name}'${hint === undefined ? '' : ` (did you mean '${hint}'?)`}`);
    }
    const value: unknown = (options as Record<string, unknown>)[name];
    if (value !== undefined || (keepUndefined as readonly string[]).includes(name)) snapshot[name as K] = value;
  }
  return Object.freeze(snapshot);
}

const EMPTY: Readonly<Record<string, unknown>> = /* @__PURE__ */ Object.freeze({});
