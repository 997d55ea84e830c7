// `pnpm test:runtimes`: runs tests/runtimes/scenario.mjs (through entry.mjs)
// against the built '@lf/async-utils' under Node (this node), Bun and Deno,
// prints one line per runtime, and exits 1 if any of them failed.
//
// Deno resolves '@lf/async-utils' from this folder's package.json and the
// node_modules pnpm installed (`--node-modules-dir=manual`: use it as it is,
// never download); the umbrella's own '@lf/*' imports resolve through the
// workspace symlinks the same way. No permission is needed (module loading
// is not gated); `--no-prompt` makes a missing one an error, not a question,
// and `--no-lock` keeps the run from writing a deno.lock.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`node_modules/.bin/${name}`, import.meta.url));

const runtimes = [
  { name: 'node', command: process.execPath, args: ['entry.mjs'] },
  { name: 'bun', command: bin('bun'), args: ['entry.mjs'] },
  {
    name: 'deno',
    command: bin('deno'),
    args: ['run', '--no-prompt', '--no-lock', '--node-modules-dir=manual', '--cached-only', 'entry.mjs'],
  },
];

const TIMEOUT_MS = 60_000;

function runOne({ name, command, args }) {
  return new Promise((resolve) => {
    if (command !== process.execPath && !existsSync(command)) {
      resolve({ name, ok: false, line: `${command} not found (run pnpm install)`, output: '' });
      return;
    }
    const started = performance.now();
    execFile(
      command,
      args,
      { cwd: here, timeout: TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } },
      (error, stdout, stderr) => {
        const ms = Math.round(performance.now() - started);
        const output = `${stdout}${stderr}`;
        const okLine = stdout.split('\n').find((line) => line.startsWith(`ok ${name} `));
        if (error === null && okLine !== undefined) {
          try {
            const summary = JSON.parse(okLine.slice(`ok ${name} `.length));
            resolve({ name, ok: true, line: `v${summary.version}, scenario ${summary.elapsedMs} ms, process ${ms} ms`, output });
          } catch (parseError) {
            resolve({ name, ok: false, line: `unreadable summary: ${parseError.message}`, output });
          }
          return;
        }
        const failLine = stdout.split('\n').find((line) => line.startsWith(`fail ${name} `));
        const why =
          error?.killed === true
            ? `timed out after ${TIMEOUT_MS} ms`
            : (failLine?.slice(`fail ${name} `.length).split('\n')[0] ??
              (error ? `exit code ${error.code ?? error.signal}` : `no "ok ${name}" line`));
        resolve({ name, ok: false, line: why, output });
      },
    );
  });
}

let failed = 0;
for (const runtime of runtimes) {
  const result = await runOne(runtime);
  console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name.padEnd(4)} ${result.line}`);
  if (!result.ok) {
    failed++;
    process.stderr.write(`--- ${result.name} output ---\n${result.output}\n`);
  }
}
if (failed > 0) {
  console.log(`${failed} of ${runtimes.length} runtimes failed`);
  process.exitCode = 1;
}
