/**
 * The settings form: reads and writes `Settings`, and prints the equivalent
 * alcall / bcall call for the code panel.
 */
import { callOptions, DEFAULT_SETTINGS } from './run.js';
import type { Jitter, Settings } from './run.js';

type NumberKey = {
  [K in keyof Settings]: Settings[K] extends number ? K : never;
}[keyof Settings];

/** Form control id for each numeric setting. */
export const NUMBER_FIELDS: Record<NumberKey, string> = {
  items: 'items',
  latencyMin: 'latency-min',
  latencyMax: 'latency-max',
  failureRate: 'failure-rate',
  seed: 'seed',
  maxConcurrent: 'max-concurrent',
  throttlePeriod: 'throttle-period',
  batchSize: 'batch-size',
  numRetries: 'num-retries',
  retryDelay: 'retry-delay',
  backoffFactor: 'backoff-factor',
  retryTimeout: 'retry-timeout',
};

const JITTERS: readonly Jitter[] = ['none', 'full', 'equal', 'decorrelated'];

function input(form: HTMLFormElement, id: string): HTMLInputElement {
  const el = form.querySelector(`#${id}`);
  if (!(el instanceof HTMLInputElement)) throw new Error(`missing input #${id}`);
  return el;
}

function select(form: HTMLFormElement, id: string): HTMLSelectElement {
  const el = form.querySelector(`#${id}`);
  if (!(el instanceof HTMLSelectElement)) throw new Error(`missing select #${id}`);
  return el;
}

/** Puts `settings` into the form. */
export function writeSettings(form: HTMLFormElement, settings: Settings): void {
  for (const [key, id] of Object.entries(NUMBER_FIELDS) as [NumberKey, string][]) {
    input(form, id).value = String(settings[key]);
  }
  select(form, 'jitter').value = settings.jitter;
  input(form, 'retry-default').checked = settings.retryDefault;
  input(form, 'stop-on-error').checked = settings.stopOnError;
}

/**
 * Reads the form. The workload (items, latencies, failure rate) is clamped to
 * what the page can draw; the library's options are passed on as typed, so a
 * bad value shows the library's own TypeError / RangeError.
 *
 * @example
 * const settings = readSettings(document.querySelector('form')!);
 */
export function readSettings(form: HTMLFormElement): Settings {
  const read = (key: NumberKey): number => {
    const value = input(form, NUMBER_FIELDS[key]).valueAsNumber;
    return Number.isNaN(value) ? DEFAULT_SETTINGS[key] : value;
  };
  const jitter = select(form, 'jitter').value as Jitter;
  return {
    items: Math.max(1, Math.min(500, Math.round(read('items')))),
    latencyMin: Math.max(0, read('latencyMin')),
    latencyMax: Math.max(0, read('latencyMax')),
    failureRate: Math.max(0, Math.min(1, read('failureRate'))),
    seed: Math.round(read('seed')),
    maxConcurrent: read('maxConcurrent'),
    throttlePeriod: read('throttlePeriod'),
    batchSize: read('batchSize'),
    numRetries: read('numRetries'),
    retryDelay: read('retryDelay'),
    backoffFactor: read('backoffFactor'),
    jitter: JITTERS.includes(jitter) ? jitter : 'none',
    retryTimeout: read('retryTimeout'),
    retryDefault: input(form, 'retry-default').checked,
    stopOnError: input(form, 'stop-on-error').checked,
  };
}

/**
 * The call the page makes, as a user would write it.
 *
 * @example
 * snippet(DEFAULT_SETTINGS); // "const controller = new AbortController();\nconst results = await alcall(items, task, {..."
 */
export function snippet(settings: Settings): string {
  const { batchSize, ...options } = callOptions(settings);
  const lines = Object.entries(options).map(([key, value]) => `  ${key}: ${typeof value === 'string' ? `'${value}'` : String(value)},`);
  lines.push('  onProgress, onRetry,', '  signal: controller.signal,');
  const body = lines.join('\n');
  const head = `import { ${batchSize === undefined ? 'alcall' : 'bcall'} } from '@lf/async-utils';\n\nconst controller = new AbortController();\n`;
  if (batchSize === undefined) return `${head}const results = await alcall(items, task, {\n${body}\n});`;
  return `${head}for await (const batch of bcall(items, task, {\n  batchSize: ${batchSize},\n${body}\n})) results.push(...batch);`;
}
