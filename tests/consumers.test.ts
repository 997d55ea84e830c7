import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const names = readdirSync(join(root, 'packages'))
  .sort()
  .map((dir) => `@lf/${dir}`);

/** Loads every built package the way a consumer would, in a fresh Node process. */
function exportsOf(mode: 'require' | 'import'): Record<string, string[]> {
  const script =
    mode === 'require'
      ? `const out = {}; for (const n of ${JSON.stringify(names)}) out[n] = Object.keys(require(n)).sort(); console.log(JSON.stringify(out));`
      : `const out = {}; for (const n of ${JSON.stringify(names)}) out[n] = Object.keys(await import(n)).sort(); console.log(JSON.stringify(out));`;
  const args = mode === 'require' ? ['-e', script] : ['--input-type=module', '-e', script];
  const stdout = execFileSync(process.execPath, args, { cwd: join(root, 'tests'), encoding: 'utf8' });
  return JSON.parse(stdout) as Record<string, string[]>;
}

describe('consumers of the built packages', () => {
  it('CommonJS users can require() every package, and see the same names as ESM users', () => {
    const cjs = exportsOf('require');
    const esm = exportsOf('import');
    expect(Object.keys(cjs)).toEqual(names);
    for (const name of names) {
      expect(cjs[name], name).toEqual(esm[name]!.filter((n) => n !== 'default' && n !== 'module.exports'));
    }
  });

  it('the CommonJS build of @lf/scope works when required', async () => {
    const stdout = execFileSync(
      process.execPath,
      ['-e', `const { sleep, CancelledError } = require('@lf/scope'); sleep(1).then(() => console.log(new CancelledError().name));`],
      { cwd: join(root, 'tests'), encoding: 'utf8' },
    );
    expect(stdout.trim()).toBe('CancelledError');
  });
});
