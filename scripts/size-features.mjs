// What each contract feature weighs in a user's bundle: the headline imports of
// `node scripts/sizes.mjs`, bundled from the TypeScript sources (esbuild, platform
// neutral, minified, gzipped; kB = 1024 bytes), once as they are and once with a
// feature's module replaced by the smallest stand-in that still bundles. The
// difference is what that feature costs; what is left with every optional feature
// taken out is the floor of the import.
//
//   node scripts/size-features.mjs
//
// A diagnosis for issue #18's size targets, not a check: the stand-ins do not run.
import { join } from 'node:path';
import { measureBundle } from './bundle.mjs';

const packages = new URL('../packages/', import.meta.url).pathname;

/** @lf/* resolve to their sources (`src/index.ts`, `src/internal.ts`). */
const sources = {
  name: 'lf-sources',
  setup(b) {
    b.onResolve({ filter: /^@lf\// }, (a) => {
      const [, pkg, sub] = /^@lf\/([^/]+)(?:\/(.*))?$/.exec(a.path);
      return { path: join(packages, pkg, 'src', `${sub ?? 'index'}.ts`), sideEffects: false };
    });
  },
};

/** min+gz bytes of `entry`, with the files named in `standIns` (path suffix -> code) replaced. */
async function gz(entry, standIns = {}) {
  const replace = {
    name: 'stand-ins',
    setup(b) {
      for (const [suffix, contents] of Object.entries(standIns)) {
        b.onLoad({ filter: new RegExp(`${suffix.replace(/[./]/g, '\\$&')}$`) }, () => ({ contents, loader: 'ts' }));
      }
    },
  };
  return (await measureBundle(entry, { resolveDir: packages, plugins: [replace, sources] })).gz;
}

/**
 * Stand-ins: each keeps the module's exports and drops the feature, in the
 * imports whose headline name it does not replace (`in`, default: all).
 */
const FEATURES = {
  'strict options (unknown names, did-you-mean)': {
    'scope/src/options.ts': 'export const suggestName = () => undefined; export const readOptions = (_f: string, o: any) => o ?? {};',
  },
  'Limiter priority (the bucket heap)': {
    'limit/src/wait-queue.ts': `import { LinkedQueue } from '@lf/scope/internal';
export class WaitQueue { #q = new LinkedQueue<any>(); get size() { return this.#q.size; } push(n: any) { this.#q.push(n); }
  pushFront(n: any) { this.#q.push(n); } shift() { return this.#q.shift(); } head() { return this.#q.head; } remove(n: any) { this.#q.remove(n); }
  takeAll() { const a = []; for (let n = this.shift(); n; n = this.shift()) a.push(n); return a; } }`,
  },
  'named limits and cost records (their parsing)': {
    in: ['Throttle from @lf/throttle'],
    'throttle/src/limits.ts':
      'export const parseLimits = (_f: string, o: any) => [{ name: undefined, limit: o.limit, interval: o.interval }]; export const parseCost = (_f: string, c: any) => [c ?? 1];',
  },
  'throttlePeriod (Throttle, the sliding log, named limits, costs)': {
    in: ['alcall from @lf/alcall'],
    'throttle/src/index.ts': 'export class Throttle { constructor(_p: number) {} call(f: () => unknown) { return f(); } }',
  },
  'sanitizeInput / flatten / dropna / uniqueOutput (list-ops)': {
    'list-ops/src/index.ts': 'export const toList = (x: unknown) => (Array.isArray(x) ? x : [x]);',
  },
  'retry options (@lf/retry)': {
    in: ['alcall from @lf/alcall'],
    'retry/src/internal.ts': 'export const RETRY_OPTION_NAMES: string[] = []; export const prepareRetry = () => ({ passthrough: true });',
  },
};

const IMPORTS = [
  ['Limiter from @lf/limit', `export { Limiter } from '@lf/limit';`, 1.2],
  ['retry from @lf/retry', `export { retry } from '@lf/retry';`, 1.5],
  ['Throttle from @lf/throttle', `export { Throttle } from '@lf/throttle';`, 1.2],
  ['alcall from @lf/alcall', `export { alcall } from '@lf/alcall';`, 5],
];

const kB = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
const lines = [
  '| import | target | as built | feature taken out | costs | without every feature below |',
  '| --- | ---: | ---: | --- | ---: | ---: |',
];
for (const [label, entry, target] of IMPORTS) {
  const whole = await gz(entry);
  const all = {};
  const rows = [];
  for (const [feature, { in: only, ...standIns }] of Object.entries(FEATURES)) {
    if (only !== undefined && !only.includes(label)) continue;
    const without = await gz(entry, standIns);
    if (without === whole) continue; // not in this import
    Object.assign(all, standIns);
    rows.push([feature, whole - without]);
  }
  const floor = await gz(entry, all);
  rows.forEach(([feature, cost], i) => {
    lines.push(
      `| ${i === 0 ? `\`${label}\`` : ''} | ${i === 0 ? `${target} kB` : ''} | ${i === 0 ? kB(whole) : ''} | ${feature} | ${kB(cost)} | ${i === 0 ? kB(floor) : ''} |`,
    );
  });
}
console.log(lines.join('\n'));
