/**
 * Option checks for list-ops. `@lf/list-ops` has no `@lf` dependencies (see
 * API.md's package graph), so these mirror `@lf/scope`'s validators: same
 * messages, naming the option, thrown synchronously before any work starts.
 */

/**
 * Options as read by the validators: any object, looked up by name.
 *
 * @example
 * ```ts
 * const bag: OptionBag | undefined = readOptions({ dropna: true });
 * ```
 */
export type OptionBag = Readonly<Record<string, unknown>>;

/**
 * Checks that `value` is an options object (or `undefined`); returns it.
 *
 * @example
 * ```ts
 * readOptions({ flatten: true }); // { flatten: true }
 * readOptions(5); // TypeError: options must be an object (got number)
 * ```
 */
export function readOptions(value: unknown, name = 'options'): OptionBag | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object (got ${describe(value)})`);
  }
  return value as OptionBag;
}

/**
 * Reads the boolean option `name` from `options`: `false` when absent or
 * `undefined`, TypeError naming the option for anything but a boolean.
 *
 * @example
 * ```ts
 * readFlag({ flatten: true }, 'flatten'); // true
 * readFlag(undefined, 'flatten'); // false
 * readFlag({ flatten: 'yes' }, 'flatten'); // TypeError: flatten must be a boolean (got string)
 * ```
 */
export function readFlag(options: OptionBag | undefined, name: string): boolean {
  if (options === undefined) return false;
  const value = options[name];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${name} must be a boolean (got ${describe(value)})`);
  }
  return value;
}

/** A short, safe description of a value's type for error messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
