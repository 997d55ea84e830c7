import { describe, expectTypeOf, it } from 'vitest';
import type {
  ALCallOptions,
  ALCallResult,
  BCallOptions,
  CallContext,
  CancelScopeOptions,
  Jitter,
  MapContext,
  RateLimit,
  RetryContext,
  RetryOptions,
  ToListOptions,
} from '@lf/async-utils';
import { alcall, retry, toList } from '@lf/async-utils';

describe('the umbrella re-exports the types too', () => {
  it('exposes the option and context types of every package', () => {
    expectTypeOf<ALCallOptions['maxConcurrent']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BCallOptions['batchSize']>().toEqualTypeOf<number>();
    expectTypeOf<CallContext['signal']>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<RetryContext['attempt']>().toEqualTypeOf<number>();
    expectTypeOf<RetryOptions['jitter']>().toEqualTypeOf<Jitter | undefined>();
    expectTypeOf<MapContext['signal']>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<RateLimit['limit']>().toEqualTypeOf<number>();
    expectTypeOf<CancelScopeOptions['shield']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<ToListOptions['flatten']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<ALCallResult<number, { retryTiming: true }>>().toEqualTypeOf<[number, number][]>();
  });

  it('keeps the functions typed through the re-export', () => {
    expectTypeOf(alcall([1], (x) => String(x))).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(retry(() => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(toList).returns.toEqualTypeOf<unknown[]>();
  });
});
