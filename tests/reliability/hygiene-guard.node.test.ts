/**
 * Proof that the global guard (tests/setup/hygiene.ts) works: vitest runs
 * fixture files in a child process with its own unhandled-error failure turned
 * off (dangerouslyIgnoreUnhandledErrors); with the guard, the files that leak a
 * rejection or throw an uncaught exception fail and the clean ones pass;
 * without it (the control), every file passes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = fileURLToPath(new URL('fixtures/hygiene/vitest.config.ts', import.meta.url));
const vitestBin = join(root, 'node_modules/vitest/vitest.mjs');

interface Report {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { status: string; title: string; failureMessages: string[] }[];
  }[];
}

/** Runs the fixtures; resolves each file's status and messages. */
function runFixtures(guard: boolean): Promise<{ code: number; files: Record<string, { status: string; text: string }> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-hygiene-'));
  const out = join(dir, 'report.json');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [vitestBin, 'run', '--config', config, '--reporter=json', `--outputFile=${out}`],
      { cwd: root, env: { ...process.env, HYGIENE_GUARD: guard ? 'on' : 'off', CI: 'true' }, timeout: 60_000 },
      (error) => {
        try {
          const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
          const files: Record<string, { status: string; text: string }> = {};
          for (const file of report.testResults) {
            const text = [file.message ?? '', ...file.assertionResults.flatMap((a) => a.failureMessages)].join('\n');
            files[basename(file.name)] = { status: file.status, text };
          }
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, files });
        } catch (readError) {
          reject(readError instanceof Error ? readError : new Error(String(readError)));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
}

describe('the global hygiene guard', () => {
  it('fails a file that leaks a rejection or an uncaught exception, even after its test ended; passes clean files', async () => {
    const { code, files } = await runFixtures(true);
    expect(code).not.toBe(0);
    expect(files['leaks-rejection.fixture.ts']).toMatchObject({ status: 'failed' });
    expect(files['leaks-rejection.fixture.ts']!.text).toContain('leaked rejection');
    expect(files['late-rejection.fixture.ts']).toMatchObject({ status: 'failed' });
    expect(files['late-rejection.fixture.ts']!.text).toContain('late rejection');
    expect(files['uncaught-exception.fixture.ts']).toMatchObject({ status: 'failed' });
    expect(files['uncaught-exception.fixture.ts']!.text).toContain('uncaught exception');
    expect(files['clean.fixture.ts']).toMatchObject({ status: 'passed' });
    expect(files['fake-timers-left.fixture.ts']).toMatchObject({ status: 'passed' });
  }, 60_000);

  it('(control) without the guard, the same files pass: the guard is what fails them', async () => {
    const { code, files } = await runFixtures(false);
    expect(Object.values(files).map((f) => f.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(code).toBe(0);
  }, 60_000);
});
