// Prints the closing line of CI, "N passed, N failed", summed over vitest's
// JSON reports (every project, unit, type and e2e tests, and the unit suite's
// re-run on a loaded machine), and exits non-zero when anything failed,
// including a step outside vitest (lint, typecheck, packaging, the runtime
// smoke, the soak, the consumer install test, the release dry-run).
// Usage: node scripts/summarize-tests.mjs <step-status> <report.json>...
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [statusArg = '0', ...reports] = process.argv.slice(2);
const stepStatus = Number(statusArg);
let passed = 0;
let failed = 0;
for (const path of reports) {
  if (!existsSync(path)) {
    console.error(`no vitest report at ${path}: that run did not happen`);
    failed++;
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const reportPassed = report.numPassedTests ?? 0;
  let reportFailed = report.numFailedTests ?? 0;
  if (report.success === false && reportFailed === 0) reportFailed = 1; // e.g. an unhandled error, a file that failed to load
  console.log(`  ${basename(path)}: ${reportPassed} passed, ${reportFailed} failed`);
  passed += reportPassed;
  failed += reportFailed;
}
if (stepStatus !== 0 && failed === 0) {
  console.error(`a step outside the counted tests failed (exit ${stepStatus})`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
