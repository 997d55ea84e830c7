import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

/** Every public name of API.md. */
const API_NAMES = [
  // @lf/scope
  'CancelledError',
  'TimeoutError',
  'isCancellation',
  'now',
  'sleep',
  'CancelScope',
  'moveOnAfter',
  'failAfter',
  'TaskGroup',
  'taskGroup',
  // @lf/list-ops
  'toList',
  'flatten',
  'dropna',
  'unique',
  // @lf/retry
  'retry',
  'withRetry',
  'NonRetryableError',
  // @lf/limit
  'Limiter',
  'createLimiter',
  'maxConcurrent',
  'parallelMap',
  // @lf/throttle
  'Throttle',
  'throttle',
  'RateLimiter',
  // @lf/alcall
  'alcall',
  'bcall',
  'ALCallParams',
  'BCallParams',
  'alcallIter',
].sort();

const PACKAGES = ['scope', 'list-ops', 'retry', 'limit', 'throttle', 'alcall'];

/** The names a consumer sees, loading the built entry points in a fresh Node process. */
function load(mode: 'import' | 'require'): { umbrella: string[]; union: string[] } {
  const names = JSON.stringify(PACKAGES.map((p) => `@lf/${p}`));
  const body = `
    const keys = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== 'module.exports');
    const umbrella = keys(${mode === 'require' ? "require('@lf/async-utils')" : "await import('@lf/async-utils')"});
    const union = new Set();
    for (const n of ${names}) for (const k of keys(${mode === 'require' ? 'require(n)' : 'await import(n)'})) union.add(k);
    console.log(JSON.stringify({ umbrella: umbrella.sort(), union: [...union].sort() }));`;
  const args = mode === 'require' ? ['-e', body] : ['--input-type=module', '-e', body];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: join(root, 'tests'), encoding: 'utf8' })) as {
    umbrella: string[];
    union: string[];
  };
}

describe('@lf/async-utils, the umbrella', () => {
  it.each(['import', 'require'] as const)('its built %s entry point has every name of API.md', (mode) => {
    const { umbrella } = load(mode);
    for (const name of API_NAMES) expect(umbrella, `${name} missing from the ${mode} entry`).toContain(name);
  });

  it.each(['import', 'require'] as const)('its built %s entry point exports exactly the names of API.md, no building block', (mode) => {
    const { umbrella } = load(mode);
    expect(umbrella).toEqual(API_NAMES);
  });

  it.each(['import', 'require'] as const)(
    'the main %s entry points of the packages together export exactly the names of API.md',
    (mode) => {
      const { union } = load(mode);
      expect(union).toEqual(API_NAMES);
    },
  );
});
