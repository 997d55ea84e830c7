/**
 * Browser leg of the runtime smoke: runs the shared scenario (which imports only
 * '@lf/async-utils') and writes the outcome into the page for the e2e test.
 */
const status = document.getElementById('runtime-status');
const result = document.getElementById('runtime-result');

function report(outcome: 'ok' | 'error', text: string): void {
  if (status) {
    status.dataset.status = outcome;
    status.textContent = outcome === 'ok' ? 'ok: scenario passed in Chromium' : 'error: scenario failed';
  }
  if (result) result.textContent = text;
}

function show(value: unknown): string {
  if (value === undefined) return '(run() resolved)';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return `(a value JSON cannot show: ${typeof value})`;
  }
}

const started = performance.now();
// A dynamic import, so that a scenario which fails to load (e.g. a missing export) is reported too.
import('lf-runtime-scenario')
  .then(async ({ run }) => run())
  .then(
    (value: unknown) => {
      report('ok', `${show(value)}\n\n${(performance.now() - started).toFixed(0)} ms`);
    },
    (error: unknown) => {
      report('error', error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error));
    },
  );
