/**
 * Every ```ts block of every README (the root one and packages/*) is a
 * specification a newcomer will copy:
 *
 * - it type-checks (strict, against the workspace sources: `@lf/*` resolves
 *   through tsconfig paths, as in `pnpm typecheck`);
 * - it runs, against the workspace sources (vitest aliases), on fake time
 *   (timers, `performance` and `Date`: a 5 s timeout in an example costs
 *   nothing), offline (`fetch` rejects);
 * - a statement whose trailing comment is a value says what it evaluates to:
 *   `toList(null); // []`, `console.log(x); // 3` (the value logged),
 *   `const n = f(); // 3` (the variable). A comment that is prose
 *   (`// at most 4 at once`) is not a claim and is not checked.
 *
 * A block preceded by the line `<!-- example: no-run -->` is only
 * type-checked: for examples that need a network, a server or names the
 * reader supplies (declare those: `declare const urls: string[];`).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inspect } from 'node:util';
import { transform } from 'esbuild';
import ts from 'typescript';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FAKE_TIMERS, drain } from './reliability/harness.js';

const root = new URL('..', import.meta.url).pathname;
const NO_RUN = '<!-- example: no-run -->';

interface Block {
  /** README path relative to the repository root. */
  readonly file: string;
  /** 1-based line of the block's first code line in the README. */
  readonly line: number;
  readonly code: string;
  readonly run: boolean;
  readonly name: string;
  /** Virtual path of the block as a TypeScript module (for the type check). */
  readonly path: string;
}

function readmes(): string[] {
  const files = [join(root, 'README.md')];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const file = join(root, 'packages', dir, 'README.md');
    if (existsSync(file)) files.push(file);
  }
  return files;
}

function blocksOf(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const rel = relative(root, file);
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    let prev = i - 1;
    while (prev >= 0 && lines[prev]!.trim() === '') prev--;
    const run = prev < 0 || lines[prev]!.trim() !== NO_RUN;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const index = found.length + 1;
    found.push({
      file: rel,
      line: i + 2,
      code: lines.slice(i + 1, end).join('\n'),
      run,
      name: `${rel}:${i + 2} (block ${index}${run ? '' : ', no-run'})`,
      path: join(root, 'tests', '__readme__', `${rel.replace(/[^a-z0-9]+/gi, '_')}_${index}.ts`),
    });
    i = end;
  }
  return found;
}

const blocks = readmes().flatMap(blocksOf);

// ---- the type check: one program over every block

/** Type errors per block path, as `README.md:12: message`. */
let typeErrors = new Map<string, string[]>();

function typeCheck(all: readonly Block[]): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json did not parse');
  const options: ts.CompilerOptions = { ...config.options, noEmit: true };
  const virtual = new Map(all.map((b) => [b.path, b]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => {
    const block = virtual.get(name);
    return block ? ts.createSourceFile(name, block.code, version) : getSourceFile(name, version, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => virtual.get(name)?.code ?? readFile(name);
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const errors = new Map<string, string[]>();
  for (const block of all) {
    const sf = program.getSourceFile(block.path);
    const diagnostics = sf ? [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)] : [];
    errors.set(
      block.path,
      diagnostics.map((d) => {
        const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
        return `${block.file}:${block.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
  }
  return errors;
}

// ---- running a block

/** A comment that is a value: a literal (numbers, strings, arrays, plain objects, NaN, undefined...). */
function commentValue(text: string): { ok: true; value: unknown } | { ok: false } {
  for (const candidate of new Set([text, text.split(/\s{2,}/)[0]!])) {
    let value: unknown;
    try {
      // As the one element of an array: `// 100, 100, 50` is a list in prose, not the comma operator's 50.
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluates a doc comment's literal, nothing else
      const literal = new Function(`"use strict"; return [${candidate}];`) as () => unknown[];
      const values = literal();
      if (values.length !== 1) continue;
      value = values[0];
    } catch {
      continue;
    }
    if (isLiteral(value)) return { ok: true, value };
  }
  return { ok: false };
}

function isLiteral(value: unknown): boolean {
  if (value === null || ['number', 'string', 'boolean', 'undefined', 'bigint'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isLiteral);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every(isLiteral);
  return false;
}

interface Claim {
  readonly line: number;
  readonly comment: string;
  readonly expected: unknown;
}

/**
 * Rewrites the statements whose trailing comment is a value so the value
 * they produce is recorded: `expr; // v` -> `__check(0, (expr));`,
 * `console.log(a); // v` -> `console.log(__check(0, a));`,
 * `const x = e; // v` -> `const x = e; __check(0, x);`.
 */
function instrument(block: Block): { code: string; claims: Claim[] } {
  const sf = ts.createSourceFile('block.ts', block.code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const claims: Claim[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node)) {
      const comment = (ts.getTrailingCommentRanges(block.code, node.end) ?? []).find(
        (c) => c.kind === ts.SyntaxKind.SingleLineCommentTrivia,
      );
      const text = comment ? block.code.slice(comment.pos + 2, comment.end).trim() : '';
      const value = text === '' ? { ok: false as const } : commentValue(text);
      if (value.ok) {
        const id = claims.length;
        const line = block.line + sf.getLineAndCharacterOfPosition(node.getStart()).line;
        if (ts.isExpressionStatement(node)) {
          const expr = node.expression;
          const isLog =
            ts.isCallExpression(expr) &&
            ts.isPropertyAccessExpression(expr.expression) &&
            expr.expression.getText() === 'console.log' &&
            expr.arguments.length === 1;
          if (isLog) {
            const arg = expr.arguments[0]!;
            edits.push({ start: arg.getStart(), end: arg.end, text: `__check(${id}, ${arg.getText()})` });
          } else {
            edits.push({ start: expr.getStart(), end: expr.end, text: `__check(${id}, (${expr.getText()}))` });
          }
          claims.push({ line, comment: text, expected: value.value });
        } else {
          const [decl, ...more] = node.declarationList.declarations;
          if (decl && more.length === 0 && ts.isIdentifier(decl.name)) {
            edits.push({ start: node.end, end: node.end, text: ` __check(${id}, ${decl.name.text});` });
            claims.push({ line, comment: text, expected: value.value });
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let code = block.code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
  return { code, claims };
}

/** `import { a, b as c } from 'x'` (esbuild's output) -> `const { a, b: c } = __modules['x']`. */
function importsToLookups(js: string): { js: string; specifiers: string[] } {
  const specifiers: string[] = [];
  const out = js.replace(/^import\s+(?:(.+?)\s+from\s+)?(["'])([^"']+)\2;?$/gm, (_m, clause: string | undefined, _q, spec: string) => {
    specifiers.push(spec);
    const mod = `__modules[${JSON.stringify(spec)}]`;
    if (clause === undefined) return '';
    const parts: string[] = [];
    const named = /\{([^}]*)\}/.exec(clause);
    const rest = clause
      .replace(/\{[^}]*\}/, '')
      .replace(/,/g, ' ')
      .trim();
    if (rest.startsWith('* as ')) parts.push(`const ${rest.slice(5).trim()} = ${mod};`);
    else if (rest !== '') parts.push(`const ${rest} = ${mod}.default;`);
    if (named) {
      const bindings = named[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => s.replace(/^(\S+)\s+as\s+(\S+)$/, '$1: $2'));
      parts.push(`const { ${bindings.join(', ')} } = ${mod};`);
    }
    return parts.join(' ');
  });
  return { js: out, specifiers };
}

const AsyncFunction = (Object.getPrototypeOf(async () => {}) as { constructor: unknown }).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

async function runBlock(block: Block): Promise<{ claims: Claim[]; seen: Map<number, unknown>; printed: string[] }> {
  const { code, claims } = instrument(block);
  const { code: js } = await transform(code, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: block.name });
  const { js: body, specifiers } = importsToLookups(js);
  const modules: Record<string, unknown> = {};
  for (const spec of specifiers) modules[spec] = await import(/* @vite-ignore */ spec);
  const printed: string[] = [];
  const print = (...args: unknown[]) => {
    printed.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 6 }))).join(' '));
  };
  const sandboxConsole = { ...console, log: print, info: print, warn: print, error: print };
  const seen = new Map<number, unknown>();
  const check = (id: number, value: unknown) => {
    if (!seen.has(id)) seen.set(id, value);
    return value;
  };
  const offlineFetch = () =>
    Promise.reject(new TypeError('README examples run offline: mark a block that needs fetch `<!-- example: no-run -->`'));
  const fn = new AsyncFunction('__modules', '__check', 'console', 'fetch', `"use strict";\n${body}`);
  vi.useFakeTimers(FAKE_TIMERS);
  await onFakeTime(fn(modules, check, sandboxConsole, offlineFetch));
  return { claims, seen, printed };
}

/**
 * Drives the fake clock until `promise` settles: lets microtasks and real
 * macrotasks (setImmediate, I/O callbacks) run, then fires the next due timer.
 * Fails when it waits with no timer left for 1000 rounds, or past 1e6 timers.
 */
async function onFakeTime(promise: Promise<unknown>): Promise<unknown> {
  let outcome = undefined as { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;
  const settled = () => outcome !== undefined;
  promise.then(
    (value) => (outcome = { ok: true, value }),
    (error: unknown) => (outcome = { ok: false, error }),
  );
  for (let fired = 0, idle = 0; !settled();) {
    await drain();
    if (settled()) break;
    if (vi.getTimerCount() === 0) {
      if (++idle > 1000) throw new Error('the example can never finish: it waits with no timer left');
      continue;
    }
    idle = 0;
    if (++fired > 1_000_000) throw new Error('the example did not finish within 1e6 timers');
    vi.advanceTimersToNextTimer();
  }
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.value;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('README examples', () => {
  beforeAll(() => {
    typeErrors = typeCheck(blocks);
  }, 180_000);

  it('every README has its ts blocks found (the root and every package README)', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThan(0);
    expect(new Set(blocks.map((b) => b.file)).size).toBeGreaterThan(1);
  });

  it('the checker: a value comment is a claim, checked against what its line produced; prose is not a claim; a line that never ran produced nothing', async () => {
    const fake = (code: string): Block => ({ file: 'FAKE.md', line: 1, code, run: true, name: 'fake', path: '' });
    const { claims, seen } = await runBlock(
      fake('const n = 1 + 1; // 3\nconsole.log([n]); // [2]\n[n, n]; // at most two\nif (n > 5) console.log(n); // 9'),
    );
    expect(claims.map((c) => [c.line, c.expected])).toEqual([
      [1, 3],
      [2, [2]],
      [4, 9],
    ]);
    expect([...seen]).toEqual([
      [0, 2],
      [1, [2]],
    ]);
  });

  for (const block of blocks) {
    it(`${block.name} type-checks`, () => {
      expect((typeErrors.get(block.path) ?? ['not type-checked']).join('\n'), block.name).toBe('');
    });
    if (!block.run) continue;
    it(`${block.name} runs, and evaluates to what its comments say`, async () => {
      const { claims, seen, printed } = await runBlock(block);
      for (const [id, claim] of claims.entries()) {
        const where = `${block.file}:${claim.line}: // ${claim.comment}${printed.length ? `\nprinted:\n${printed.join('\n')}` : ''}`;
        expect(seen.has(id), `${where} (the line never ran)`).toBe(true);
        const actual = seen.get(id);
        // A string is shown as printed: `console.log(JSON.stringify(x)); // {"a":1}`.
        if (typeof actual === 'string' && actual === claim.comment) continue;
        expect(actual, where).toEqual(claim.expected);
      }
    }, 30_000);
  }
});
