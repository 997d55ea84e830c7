import { describe, expectTypeOf, it } from 'vitest';
import { dropna, flatten, toList, unique } from './index.js';
import type { FlattenOptions, ToListOptions } from './index.js';

describe('types', () => {
  it('toList returns unknown[] for any input', () => {
    expectTypeOf(toList([1, 2])).toEqualTypeOf<unknown[]>();
    expectTypeOf(toList('a', { flatten: true, dropna: true, unique: true, useValues: true, flattenTupleSet: true })).toEqualTypeOf<
      unknown[]
    >();
    expectTypeOf(toList).parameter(1).toEqualTypeOf<ToListOptions | undefined>();
  });

  it('flatten, dropna and unique return unknown[]', () => {
    expectTypeOf(flatten([[1]])).toEqualTypeOf<unknown[]>();
    expectTypeOf(dropna([null])).toEqualTypeOf<unknown[]>();
    expectTypeOf(unique([1, 1])).toEqualTypeOf<unknown[]>();
    expectTypeOf(flatten).parameter(1).toEqualTypeOf<FlattenOptions | undefined>();
  });

  it('rejects non-boolean flags and unknown option names at compile time', () => {
    // @ts-expect-error flatten must be a boolean
    toList([], { flatten: 'yes' });
    // @ts-expect-error flatten has no unique option
    flatten([], { unique: true });
    // @ts-expect-error unique takes no options
    unique([], {});
  });
});
