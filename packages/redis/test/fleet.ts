/**
 * Runs child.ts in several processes at once (bundled once with esbuild, so
 * each starts in a few tens of ms), starts them together, and collects what
 * they report. Every child is killed if the run fails. Node only.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ChildConfig, ChildGrant } from './child.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = `${here}../node_modules/.lf-test`;
let bundled: Promise<string> | undefined;

/** Bundles `entry` (a file in this folder) once; ioredis and redis stay external (they resolve from the package). */
export function bundle(entry: string): Promise<string> {
  const outfile = `${outDir}/${entry.replace(/\.ts$/, '')}-${process.pid}.mjs`;
  bundled ??= (async () => {
    mkdirSync(outDir, { recursive: true });
    await build({
      entryPoints: [`${here}${entry}`],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      external: ['ioredis', 'redis', 'redis4'],
      logLevel: 'error',
    });
    return outfile;
  })();
  return bundled;
}

/** Removes this process's bundles. */
export function cleanBundles(): void {
  if (bundled === undefined) return;
  const pending = bundled;
  bundled = undefined;
  void pending.then(
    (file) => {
      rmSync(file, { force: true });
    },
    () => undefined,
  );
}

export interface ChildResult {
  grants: ChildGrant[];
  failures: number;
}

/** Starts one child per config, waits until all are ready, says go, returns their reports. */
export async function runFleet(configs: readonly ChildConfig[], during?: () => Promise<void>): Promise<ChildResult[]> {
  const t0 = performance.now();
  const file = await bundle('child.ts');
  const children: ChildProcess[] = [];
  try {
    const reports = configs.map((config) => {
      const child = spawn(process.execPath, [file, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(child);
      let out = '';
      let readyResolve: () => void = () => undefined;
      const ready = new Promise<void>((resolve) => {
        readyResolve = resolve;
      });
      const done = new Promise<ChildResult>((resolve, reject) => {
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          if (out.startsWith('ready\n')) readyResolve();
        });
        child.on('exit', (code) => {
          const last = out.trim().split('\n').pop() ?? '';
          if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as ChildResult);
          else reject(new Error(`child exited with ${code}: ${out.slice(-500)}`));
        });
      });
      done.catch(() => undefined);
      return { child, ready, done };
    });
    await Promise.all(reports.map((r) => Promise.race([r.ready, r.done.then(() => undefined)])));
    if (process.env.LF_FLEET_DEBUG !== undefined) console.log(`fleet ready after ${Math.round(performance.now() - t0)} ms`);
    for (const { child } of reports) child.stdin.write('go\n');
    await during?.();
    return await Promise.all(reports.map((r) => r.done));
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}
