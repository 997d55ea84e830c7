import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const source = fileURLToPath(new URL('./yield.ts', import.meta.url));
/** Deno, as the runtime smoke installs it (an open MessagePort with a handler keeps Deno alive). */
const deno = fileURLToPath(new URL('../../../tests/runtimes/node_modules/.bin/deno', import.meta.url));
const script = `
  import { yieldToEventLoop } from ${JSON.stringify(source)};
  await yieldToEventLoop();
  for (let i = 0; i < 100; i++) await yieldToEventLoop();
  await Promise.all([yieldToEventLoop(), yieldToEventLoop(), yieldToEventLoop()]);
  console.log('done');
`;

describe('yieldToEventLoop keeps no process alive', () => {
  it('Node: a script that yields (once, in a loop, and many at once) exits by itself', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(out.trim()).toBe('done');
  }, 30_000);

  it.skipIf(!existsSync(deno))(
    'Deno: the same script exits by itself (the channel is closed once nobody waits)',
    () => {
      const out = execFileSync(deno, ['eval', '--no-lock', script], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      });
      expect(out.trim()).toBe('done');
    },
    30_000,
  );
});
