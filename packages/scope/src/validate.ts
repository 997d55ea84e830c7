/**
 * Argument checks shared by every lf package, so each option is validated
 * the same way and every message names the option.
 * Each throws synchronously: TypeError for a wrong type, RangeError for a
 * value out of range.
 */

/** Bounds for {@link checkNumber}. */
export interface NumberRule {
  /** Smallest allowed value (inclusive). Default: none. */
  min?: number;
  /** When true, `min` itself is rejected (the value must be greater). */
  exclusiveMin?: boolean;
  /** Require an integer. `Infinity` passes only with `allowInfinity`. */
  integer?: boolean;
  /** Allow `Infinity`. Default false. */
  allowInfinity?: boolean;
}

/**
 * Checks that `value` is a number within `rule`; returns it.
 *
 * @example
 * ```ts
 * checkNumber(3, 'maxConcurrent', { min: 1, integer: true }); // 3
 * checkNumber(0, 'maxConcurrent', { min: 1 }); // RangeError: maxConcurrent must be >= 1 (got 0)
 * ```
 */
export function checkNumber(value: unknown, name: string, rule: NumberRule = {}): number {
  if (typeof value !== 'number') throw mistyped(name, 'a number', value);
  const { min, exclusiveMin } = rule;
  // One RangeError: `must` is what the value fails, the same wording for every option.
  const must =
    value === Infinity && rule.allowInfinity === true
      ? ''
      : !Number.isFinite(value)
        ? 'be finite'
        : rule.integer === true && !Number.isInteger(value)
          ? 'be an integer'
          : min !== undefined && (exclusiveMin === true ? value <= min : value < min)
            ? `be ${exclusiveMin === true ? '>' : '>='} ${min}`
            : '';
  if (must !== '') throw new RangeError(Number.isNaN(value) ? `${name} must not be NaN` : `${name} must ${must} (got ${value})`);
  return value;
}

/**
 * Checks that `value` is a boolean or `undefined` (an unset option).
 *
 * @example
 * ```ts
 * checkBoolean(true, 'flatten'); // ok
 * checkBoolean('yes', 'flatten'); // TypeError: flatten must be a boolean (got string)
 * ```
 */
export function checkBoolean(value: unknown, name: string): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw mistyped(name, 'a boolean', value);
}

/**
 * Checks that `value` is a function (or `undefined` when `optional` is true).
 *
 * @example
 * ```ts
 * checkFunction(() => 1, 'fn'); // ok
 * checkFunction(42, 'fn'); // TypeError: fn must be a function (got number)
 * ```
 */
export function checkFunction(value: unknown, name: string, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'function') throw mistyped(name, 'a function', value);
}

/** The members of an AbortSignal that lf calls: what a signal-like object must have. */
const SIGNAL_METHODS = ['addEventListener', 'removeEventListener', 'throwIfAborted'] as const;

/**
 * Checks that `value` is an `AbortSignal` or `undefined`. A real
 * `AbortSignal` passes; so does an object with everything lf uses of one (a
 * boolean `aborted`, a `reason` property, and `addEventListener`,
 * `removeEventListener` and `throwIfAborted` functions: a polyfill or another
 * realm's signal). Anything else is a TypeError naming the option, at once,
 * rather than a crash later from a timer.
 *
 * @example
 * ```ts
 * checkSignal(new AbortController().signal); // ok
 * checkSignal({ aborted: false, addEventListener() {} }); // TypeError: signal must be an AbortSignal (got an object without removeEventListener())
 * ```
 */
export function checkSignal(value: unknown, name = 'signal'): asserts value is AbortSignal | undefined {
  if (value === undefined) return;
  if (typeof AbortSignal !== 'undefined' && value instanceof AbortSignal) return;
  if (typeof value !== 'object' || value === null) throw mistyped(name, 'an AbortSignal', value);
  const candidate = value as Record<string, unknown>;
  const without = (what: string): TypeError => new TypeError(`${name} must be an AbortSignal (got an object without ${what})`);
  if (typeof candidate.aborted !== 'boolean') throw without("a boolean 'aborted'");
  for (const method of SIGNAL_METHODS) if (typeof candidate[method] !== 'function') throw without(`${method}()`);
  if (!('reason' in candidate)) throw without("'reason'");
}

/**
 * Checks that `value` is an options object (or `undefined`).
 *
 * @example
 * ```ts
 * checkOptions({ signal }, 'options'); // ok
 * checkOptions(5, 'options'); // TypeError: options must be an object (got number)
 * ```
 */
export function checkOptions(value: unknown, name = 'options'): asserts value is object | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null)) throw mistyped(name, 'an object', value);
}

/**
 * The TypeError `name must be <what> (got <type>)`, the type described short
 * and safe (`null`, `array`, or `typeof`): the one wording of every lf type check.
 *
 * @example
 * ```ts
 * throw mistyped('alcall: limits', 'an object of { limit, interval } records', 5);
 * // TypeError: alcall: limits must be an object of { limit, interval } records (got number)
 * ```
 */
export function mistyped(name: string, what: string, value: unknown): TypeError {
  return new TypeError(`${name} must be ${what} (got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`);
}
