/**
 * Property 7: `toList`'s `unique` agrees with a naive structural-equality
 * reference (O(n²), obviously correct), and `flatten` / `toList` / `dropna`
 * agree with a recursive reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropna, flatten, toList, unique } from '@lf/list-ops';
import { PROPERTY_TIMEOUT, fcParams } from './harness.js';

const leaf = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom<unknown>(0, -0, NaN, true, false, '', 'a', '1', null, undefined),
  fc.constantFrom(0, 1).map((t) => new Date(t)),
);

const { value: valueArb } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
    fc.array(fc.tuple(fc.constantFrom<unknown>('k', 1, true), tie('value')), { maxLength: 2 }).map((entries) => new Map(entries)),
    fc.array(tie('value'), { maxLength: 3 }).map((items) => new Set(items)),
  ),
}));

type Kind = 'atom' | 'array' | 'plain' | 'map' | 'set' | 'date';

function kind(v: unknown): Kind {
  if (Array.isArray(v)) return 'array';
  if (v instanceof Map) return 'map';
  if (v instanceof Set) return 'set';
  if (v instanceof Date) return 'date';
  if (typeof v === 'object' && v !== null) return 'plain';
  return 'atom';
}

/** Structural equality as documented for `unique`, written the slow, obvious way. */
function equal(a: unknown, b: unknown): boolean {
  const k = kind(a);
  if (k !== kind(b)) return false;
  switch (k) {
    case 'atom':
      return a === b || (Number.isNaN(a) && Number.isNaN(b));
    case 'date':
      return equal((a as Date).getTime(), (b as Date).getTime());
    case 'array': {
      const x = a as unknown[];
      const y = b as unknown[];
      return x.length === y.length && x.every((v, i) => equal(v, y[i]));
    }
    case 'plain': {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      const keys = Object.keys(x);
      return keys.length === Object.keys(y).length && keys.every((key) => Object.hasOwn(y, key) && equal(x[key], y[key]));
    }
    case 'map': {
      const x = a as Map<unknown, unknown>;
      const y = b as Map<unknown, unknown>;
      return x.size === y.size && [...x].every(([key, v]) => y.has(key) && equal(v, y.get(key)));
    }
    case 'set': {
      // Match elements one to one (equality is an equivalence, so greedy matching is exact).
      const left = [...(b as Set<unknown>)];
      if (left.length !== (a as Set<unknown>).size) return false;
      for (const v of a as Set<unknown>) {
        const i = left.findIndex((w) => equal(v, w));
        if (i === -1) return false;
        left.splice(i, 1);
      }
      return true;
    }
  }
}

function uniqueRef(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of items) if (!out.some((kept) => equal(kept, item))) out.push(item);
  return out;
}

interface Flags {
  flatten: boolean;
  dropna: boolean;
  flattenTupleSet: boolean;
}

/** toList's documented rules, recursively: the top level, then nested arrays (and Sets with flattenTupleSet). */
function toListRef(input: unknown, o: Flags): unknown[] {
  if (input === null || input === undefined) return [];
  const top = Array.isArray(input) || input instanceof Set ? [...(input as Iterable<unknown>)] : [input];
  const walk = (items: unknown[]): unknown[] => {
    const out: unknown[] = [];
    for (const item of items) {
      if (item === null || item === undefined) {
        if (!o.dropna) out.push(item);
      } else if (Array.isArray(item) || (o.flattenTupleSet && item instanceof Set)) {
        const inner = walk([...(item as Iterable<unknown>)]);
        if (o.flatten) out.push(...inner);
        else out.push(inner);
      } else out.push(item);
    }
    return out;
  };
  return walk(top);
}

const flagsArb = fc.record({ flatten: fc.boolean(), dropna: fc.boolean(), flattenTupleSet: fc.boolean() });

describe('property 7: list-ops agree with naive references', () => {
  it(
    'toList(x, { flatten: true, unique: true }) equals the naive structural unique of the flattened list',
    () => {
      fc.assert(
        fc.property(valueArb, fc.boolean(), fc.boolean(), (input, dropnaFlag, flattenTupleSet) => {
          const got = toList(input, { flatten: true, unique: true, dropna: dropnaFlag, flattenTupleSet });
          const want = uniqueRef(toListRef(input, { flatten: true, dropna: dropnaFlag, flattenTupleSet }));
          expect(got).toHaveLength(want.length);
          got.forEach((v, i) => {
            expect(v).toBe(want[i]); // the first of each group, the same reference
          });
        }),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'unique(list) keeps exactly the first of each group of structurally equal items',
    () => {
      fc.assert(
        fc.property(fc.array(valueArb, { maxLength: 8 }), (items) => {
          // Duplicate some items as fresh structural copies and as the same references.
          const list = [...items, ...items.slice(0, 2), ...items.map((v) => structuredClone(v))];
          const got = unique(list);
          const want = uniqueRef(list);
          expect(got).toHaveLength(want.length);
          got.forEach((v, i) => {
            expect(v).toBe(want[i]);
          });
        }),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'toList, flatten and dropna agree with a recursive reference',
    () => {
      fc.assert(
        fc.property(valueArb, flagsArb, (input, o) => {
          expect(toList(input, o)).toEqual(toListRef(input, o));
          expect(flatten(input, { dropna: o.dropna, flattenTupleSet: o.flattenTupleSet })).toEqual(
            toListRef(input, { ...o, flatten: true }),
          );
          expect(dropna(input)).toEqual(toListRef(input, { flatten: false, dropna: true, flattenTupleSet: false }));
        }),
        fcParams(),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
