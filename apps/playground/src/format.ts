/**
 * Prints values the way the demo shows results: `[2, 4, 6]`, `'text'`,
 * `Error: boom`, `AggregateError [Error: a, Error: b]`; non-integer numbers
 * keep one decimal.
 *
 * @example
 * ```ts
 * show([1, [2.345, 'x']]); // "[1, [2.3, 'x']]"
 * ```
 */
export function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  if (value instanceof AggregateError) return `AggregateError [${value.errors.map(show).join(', ')}]`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  const entries = Object.entries(value).map(([key, item]) => `${key}: ${show(item)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}
