import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as source from './index.js';

type ScopeModule = typeof source;

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
let esm: ScopeModule;
let cjs: ScopeModule;

beforeAll(async () => {
  if (!existsSync(`${dist}index.js`) || !existsSync(`${dist}index.cjs`)) {
    throw new Error('build @lf/scope first: cd packages/scope && npx tsup --config ../../tsup.config.ts');
  }
  esm = (await import(/* @vite-ignore */ pathToFileURL(`${dist}index.js`).href)) as ScopeModule;
  cjs = createRequire(import.meta.url)(`${dist}index.cjs`) as ScopeModule;
});

describe('cancellation is recognised across module copies (the ESM and the CJS build side by side)', () => {
  it('the two builds are really two copies: instanceof fails across them', () => {
    expect(esm.CancelledError).not.toBe(cjs.CancelledError);
    expect(new esm.CancelledError()).not.toBeInstanceOf(cjs.CancelledError);
  });

  it("isCancellation of each copy is true for the other copy's CancelledError (and the source's)", () => {
    const copies = [esm, cjs, source];
    for (const maker of copies) {
      for (const judge of copies) {
        expect(judge.isCancellation(new maker.CancelledError())).toBe(true);
        expect(judge.isCancellation(new maker.TimeoutError())).toBe(false);
      }
    }
  });

  it('every copy sees errors named AbortError as cancellations, and nothing else', () => {
    for (const judge of [esm, cjs]) {
      expect(judge.isCancellation(new DOMException('stop', 'AbortError'))).toBe(true);
      expect(judge.isCancellation(AbortSignal.abort().reason)).toBe(true);
      expect(judge.isCancellation(new Error('boom'))).toBe(false);
      const named = new Error('x');
      named.name = 'CancelledError'; // a name alone is not lf's brand
      expect(judge.isCancellation(named)).toBe(false);
    }
  });

  it("a task group of one copy treats the other copy's CancelledError as its own cancellation", async () => {
    const failure = new Error('real');
    const outcome = esm.taskGroup((tg) => {
      tg.startSoon(() => Promise.reject(failure));
      tg.startSoon(async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        throw new cjs.CancelledError('stopped by the group'); // what a CJS dependency throws
      });
    });
    await expect(outcome).rejects.toMatchObject({ errors: [failure] });
  });
});
