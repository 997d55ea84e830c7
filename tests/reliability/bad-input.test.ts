/**
 * Bad input: every option of every function, given a wrong type, a negative,
 * NaN, or a fraction where an integer is needed, throws a TypeError or
 * RangeError naming the option BEFORE any call runs (the spy is never
 * called). Synchronous throws and rejections are both accepted, as long as
 * nothing ran first.
 */
import { describe, expect, it, vi } from 'vitest';
import { ALCallParams, BCallParams, alcall, bcall } from '@lf/alcall';
import { Limiter, createLimiter, maxConcurrent, parallelMap } from '@lf/limit';
import { mapConcurrent } from '@lf/limit/internal';
import { flatten, toList } from '@lf/list-ops';
import { retry, withRetry } from '@lf/retry';
import { CancelScope, TaskGroup, failAfter, moveOnAfter, sleep, taskGroup } from '@lf/scope';
import { RateLimiter, Throttle, throttle } from '@lf/throttle';

/** What a numeric option accepts, which decides the bad values to try. */
type NumberKind = 'int>=0' | 'int>=1' | '>=0' | '>0' | 'any';

function badNumbers(kind: NumberKind): { label: string; value: unknown }[] {
  const bad: { label: string; value: unknown }[] = [
    { label: 'a string', value: '5' },
    { label: 'NaN', value: NaN },
  ];
  if (kind !== 'any') bad.push({ label: 'a negative', value: -1 });
  if (kind === 'int>=0' || kind === 'int>=1') bad.push({ label: 'a fraction', value: 1.5 });
  if (kind === 'int>=1' || kind === '>0') bad.push({ label: 'zero', value: 0 });
  return bad;
}

const BOOLEAN_BAD = [
  { label: 'a string', value: 'yes' },
  { label: 'a number', value: 1 },
];
const FUNCTION_BAD = [{ label: 'a number', value: 5 }];
const SIGNAL_BAD = [
  { label: 'a plain object', value: {} },
  { label: 'a string', value: 'signal' },
];

/** A case: `run(value, spy)` must throw/reject an error naming `option`, and never call `spy`. */
interface Case {
  name: string;
  option: string;
  run: (spy: (...args: unknown[]) => unknown) => unknown;
}

const cases: Case[] = [];

function add(
  fn: string,
  option: string,
  bad: { label: string; value: unknown }[],
  run: (value: never, spy: (...args: unknown[]) => unknown) => unknown,
): void {
  for (const { label, value } of bad) {
    cases.push({ name: `${fn}: ${option} = ${label}`, option, run: (spy) => run(value as never, spy) });
  }
}

const numberOption = (
  fn: string,
  option: string,
  kind: NumberKind,
  run: (value: never, spy: (...args: unknown[]) => unknown) => unknown,
) => {
  add(fn, option, badNumbers(kind), run);
};

// ---- @lf/scope
numberOption('sleep', 'ms', '>=0', (v) => sleep(v));
add('sleep', 'signal', SIGNAL_BAD, (v) => sleep(1, { signal: v }));
add('sleep', 'options', [{ label: 'a number', value: 5 }], (v) => sleep(1, v));
numberOption('CancelScope', 'timeout', '>=0', (v, spy) => new CancelScope({ timeout: v }).run(spy));
numberOption('CancelScope', 'deadline', 'any', (v, spy) => new CancelScope({ deadline: v }).run(spy));
add('CancelScope', 'shield', BOOLEAN_BAD, (v, spy) => new CancelScope({ shield: v }).run(spy));
add('CancelScope', 'signal', SIGNAL_BAD, (v, spy) => new CancelScope({ signal: v }).run(spy));
add('CancelScope', 'options', [{ label: 'a number', value: 5 }], (v, spy) => new CancelScope(v).run(spy));
add('CancelScope.run', 'fn', FUNCTION_BAD, (v) => new CancelScope().run(v));
numberOption('CancelScope.deadline=', 'deadline', 'any', (v, spy) => {
  const scope = new CancelScope();
  scope.deadline = v;
  return scope.run(spy);
});
for (const [name, api] of [
  ['moveOnAfter', moveOnAfter],
  ['failAfter', failAfter],
] as const) {
  numberOption(name, 'ms', '>=0', (v, spy) => api(v, spy));
  add(name, 'fn', FUNCTION_BAD, (v) => api(10, v));
  add(name, 'signal', SIGNAL_BAD, (v, spy) => api(10, spy, { signal: v }));
}
add('TaskGroup', 'signal', SIGNAL_BAD, (v, spy) => {
  const tg = new TaskGroup({ signal: v });
  tg.startSoon(spy);
  return tg[Symbol.asyncDispose]();
});
add('TaskGroup.startSoon', 'fn', FUNCTION_BAD, (v) => new TaskGroup().startSoon(v));
add('taskGroup', 'body', FUNCTION_BAD, (v) => taskGroup(v));
add('taskGroup', 'signal', SIGNAL_BAD, (v, spy) => taskGroup(spy, { signal: v }));

// ---- @lf/list-ops
for (const flag of ['flatten', 'dropna', 'unique', 'useValues', 'flattenTupleSet']) {
  add('toList', flag, BOOLEAN_BAD, (v) => toList([1], { flatten: true, [flag]: v }));
}
add('toList', 'unique', [{ label: 'true without flatten', value: true }], (v) => toList([1], { unique: v }));
add('toList', 'options', [{ label: 'a number', value: 5 }], (v) => toList([1], v));
for (const flag of ['dropna', 'flattenTupleSet']) add('flatten', flag, BOOLEAN_BAD, (v) => flatten([1], { [flag]: v }));

// ---- @lf/retry (and the same options through alcall, bcall, ALCallParams, BCallParams)
const retryNumbers: [string, NumberKind][] = [
  ['numRetries', 'int>=0'],
  ['retryDelay', '>=0'],
  ['backoffFactor', '>=0'],
  ['maxDelay', '>=0'],
  ['retryTimeout', '>0'],
];
const retryFunctions = ['shouldRetry', 'onRetry', 'random'];
const alcallNumbers: [string, NumberKind][] = [
  ...retryNumbers,
  ['initialDelay', '>=0'],
  ['maxConcurrent', 'int>=1'],
  ['throttlePeriod', '>=0'],
];
const alcallBooleans = [
  'retryTiming',
  'sanitizeInput',
  'uniqueInput',
  'flatten',
  'dropna',
  'uniqueOutput',
  'flattenTupleSet',
  'stopOnError',
];
const JITTER_BAD = [
  { label: 'an unknown name', value: 'random' },
  { label: 'a number', value: 1 },
];

type OptionsRunner = (options: Record<string, unknown>, spy: (...args: unknown[]) => unknown) => unknown;

function optionTable(fn: string, numbers: [string, NumberKind][], booleans: string[], call: OptionsRunner): void {
  for (const [option, kind] of numbers) numberOption(fn, option, kind, (v, spy) => call({ [option]: v }, spy));
  for (const option of booleans) add(fn, option, BOOLEAN_BAD, (v, spy) => call({ [option]: v }, spy));
  for (const option of retryFunctions) add(fn, option, FUNCTION_BAD, (v, spy) => call({ [option]: v }, spy));
  add(fn, 'jitter', JITTER_BAD, (v, spy) => call({ jitter: v }, spy));
  add(fn, 'signal', SIGNAL_BAD, (v, spy) => call({ signal: v }, spy));
  add(fn, 'options', [{ label: 'a number', value: 5 }], (v, spy) => call(v, spy));
}

const drainGenerator = async (gen: AsyncGenerator): Promise<void> => {
  for await (const _ of gen) {
    /* consume */
  }
};

optionTable('retry', retryNumbers, ['retryTiming'], (o, spy) => retry(spy, o));
optionTable('withRetry', retryNumbers, ['retryTiming'], (o, spy) => withRetry(spy, o)());
add('retry', 'fn', FUNCTION_BAD, (v) => retry(v));
add('withRetry', 'fn', FUNCTION_BAD, (v) => withRetry(v));

const ALCALL_EXTRA = (fn: string, call: OptionsRunner) => {
  add(fn, 'onProgress', FUNCTION_BAD, (v, spy) => call({ onProgress: v }, spy));
  add(fn, 'uniqueOutput', [{ label: 'true without flatten', value: true }], (v, spy) => call({ uniqueOutput: v }, spy));
  add(fn, 'uniqueInput', [{ label: 'true without sanitizeInput', value: true }], (v, spy) => call({ uniqueInput: v }, spy));
};
const viaAlcall: OptionsRunner = (o, spy) => alcall([1, 2], spy, o as never);
const viaBcall: OptionsRunner = (o, spy) =>
  drainGenerator(bcall([1, 2], spy, (typeof o === 'object' ? { batchSize: 1, ...o } : o) as never));
const viaALCallParams: OptionsRunner = (o, spy) => new ALCallParams({ ...(o as object), fn: spy }).run([1, 2]);
const viaALCallParamsRun: OptionsRunner = (o, spy) => new ALCallParams({}).run([1, 2], spy, o);
const viaBCallParams: OptionsRunner = (o, spy) => drainGenerator(new BCallParams({ batchSize: 1, ...(o as object), fn: spy }).run([1, 2]));
const viaBCallParamsRun: OptionsRunner = (o, spy) => drainGenerator(new BCallParams({ batchSize: 1 }).run([1, 2], spy, o));

optionTable('alcall', alcallNumbers, alcallBooleans, viaAlcall);
ALCALL_EXTRA('alcall', viaAlcall);
add('alcall', 'options', [{ label: 'a number', value: 5 }], (v, spy) => alcall([1], spy, v));
add('alcall', 'fn', FUNCTION_BAD, (v) => alcall([1], v));
optionTable('bcall', alcallNumbers, alcallBooleans, viaBcall);
ALCALL_EXTRA('bcall', viaBcall);
numberOption('bcall', 'batchSize', 'int>=1', (v, spy) => drainGenerator(bcall([1], spy, { batchSize: v })));
add('bcall', 'batchSize', [{ label: 'missing', value: undefined }], (v, spy) => drainGenerator(bcall([1], spy, { batchSize: v })));
add('bcall', 'fn', FUNCTION_BAD, (v) => drainGenerator(bcall([1], v, { batchSize: 1 })));
for (const [fn, call] of [
  ['ALCallParams', viaALCallParams],
  ['ALCallParams.run overrides', viaALCallParamsRun],
  ['BCallParams', viaBCallParams],
  ['BCallParams.run overrides', viaBCallParamsRun],
] as const) {
  for (const [option, kind] of alcallNumbers) numberOption(fn, option, kind, (v, spy) => call({ [option]: v }, spy));
  for (const option of alcallBooleans) add(fn, option, BOOLEAN_BAD, (v, spy) => call({ [option]: v }, spy));
  for (const option of retryFunctions) add(fn, option, FUNCTION_BAD, (v, spy) => call({ [option]: v }, spy));
  add(fn, 'jitter', JITTER_BAD, (v, spy) => call({ jitter: v }, spy));
  add(fn, 'signal', SIGNAL_BAD, (v, spy) => call({ signal: v }, spy));
  ALCALL_EXTRA(fn, call);
}
numberOption('BCallParams', 'batchSize', 'int>=1', (v, spy) => new BCallParams({ batchSize: v, fn: spy }));
numberOption('BCallParams.run overrides', 'batchSize', 'int>=1', (v, spy) =>
  drainGenerator(new BCallParams({ batchSize: 1 }).run([1], spy, { batchSize: v })),
);
add('ALCallParams', 'fn', FUNCTION_BAD, (v) => new ALCallParams({ fn: v }));
add('ALCallParams.run', 'fn', [{ label: 'missing everywhere', value: undefined }], (v) => new ALCallParams({}).run([1], v));
add('BCallParams', 'fn', FUNCTION_BAD, (v) => new BCallParams({ batchSize: 1, fn: v }));

// ---- @lf/limit
numberOption('Limiter', 'limit', 'int>=1', (v, spy) => new Limiter(v).run(spy));
numberOption('createLimiter', 'limit', 'int>=1', (v, spy) => createLimiter(v).run(spy));
numberOption('Limiter.limit=', 'limit', 'int>=1', (v, spy) => {
  const limiter = new Limiter(1);
  limiter.limit = v;
  return limiter.run(spy);
});
add('Limiter.run', 'fn', FUNCTION_BAD, (v) => new Limiter(1).run(v));
add('Limiter.schedule', 'signal', SIGNAL_BAD, (v, spy) => new Limiter(1).schedule(spy, { signal: v }));
numberOption('maxConcurrent', 'limit', 'int>=1', (v, spy) => maxConcurrent(v)(spy)());
add('maxConcurrent(n)', 'fn', FUNCTION_BAD, (v) => maxConcurrent(1)(v));
numberOption('parallelMap', 'maxConcurrency', 'int>=1', (v, spy) => parallelMap(spy, [1, 2], v));
add('parallelMap', 'fn', FUNCTION_BAD, (v) => parallelMap(v, [1]));
add('parallelMap', 'items', [{ label: 'a number', value: 5 }], (v, spy) => parallelMap(spy, v));
add('parallelMap', 'signal', SIGNAL_BAD, (v, spy) => parallelMap(spy, [1], 2, { signal: v }));
numberOption('mapConcurrent', 'concurrency', 'int>=1', (v, spy) => mapConcurrent([1, 2], spy, { concurrency: v }));
add('mapConcurrent', 'stopOnError', BOOLEAN_BAD, (v, spy) => mapConcurrent([1], spy, { stopOnError: v }));
add('mapConcurrent', 'onSettled', FUNCTION_BAD, (v, spy) => mapConcurrent([1], spy, { onSettled: v }));
add('mapConcurrent', 'signal', SIGNAL_BAD, (v, spy) => mapConcurrent([1], spy, { signal: v }));
add('mapConcurrent', 'items', [{ label: 'null', value: null }], (v, spy) => mapConcurrent(v, spy));
add('mapConcurrent', 'fn', FUNCTION_BAD, (v) => mapConcurrent([1], v));

// ---- @lf/throttle
numberOption('Throttle', 'period', '>0', (v, spy) => new Throttle(v).call(spy));
numberOption('throttle', 'period', '>0', (v, spy) => throttle(v)(spy)());
numberOption('RateLimiter', 'limit', '>0', (v, spy) => new RateLimiter({ limit: v, interval: 10 }).call(spy));
numberOption('RateLimiter', 'interval', '>0', (v, spy) => new RateLimiter({ limit: 1, interval: v }).call(spy));
add('RateLimiter', 'options', [{ label: 'missing', value: undefined }], (v, spy) => new RateLimiter(v).call(spy));
add('Throttle.acquire', 'signal', SIGNAL_BAD, (v) => new Throttle(1).acquire({ signal: v }));
add('Throttle.call', 'signal', SIGNAL_BAD, (v, spy) => new Throttle(1).call(spy, { signal: v }));
add('Throttle.call', 'fn', FUNCTION_BAD, (v) => new Throttle(1).call(v));
add('Throttle.wrap', 'fn', FUNCTION_BAD, (v) => new Throttle(1).wrap(v));
add('RateLimiter.call', 'fn', FUNCTION_BAD, (v) => new RateLimiter({ limit: 1, interval: 1 }).call(v));

/** Runs `c` and returns its error (thrown synchronously, or the rejection), failing if there is none. */
async function errorOf(c: Case, spy: (...args: unknown[]) => unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = c.run(spy);
  } catch (error) {
    return error;
  }
  try {
    await result;
  } catch (error) {
    return error;
  }
  throw new Error(`${c.name}: no error was thrown`);
}

describe('bad input is refused, naming the option, before any call runs', () => {
  it('the table covers every function of the contract', () => {
    const fns = new Set(cases.map((c) => c.name.split(':')[0]!.split('.')[0]!.split(' ')[0]!));
    for (const name of [
      'sleep',
      'CancelScope',
      'moveOnAfter',
      'failAfter',
      'TaskGroup',
      'taskGroup',
      'toList',
      'flatten',
      'retry',
      'withRetry',
      'Limiter',
      'createLimiter',
      'maxConcurrent',
      'parallelMap',
      'mapConcurrent',
      'Throttle',
      'RateLimiter',
      'throttle',
      'alcall',
      'bcall',
      'ALCallParams',
      'BCallParams',
    ]) {
      expect(fns, name).toContain(name);
    }
    expect(cases.length).toBeGreaterThan(400);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const spy = vi.fn();
    const error = await errorOf(c, spy);
    expect(spy).not.toHaveBeenCalled();
    expect(error).toSatisfy((e: unknown) => e instanceof TypeError || e instanceof RangeError);
    expect((error as Error).message).toContain(c.option);
  });
});
