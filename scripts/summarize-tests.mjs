// Prints the closing line of CI, "N passed, N failed", from vitest's JSON
// report (every project, unit and type tests), and exits non-zero when
// anything failed, including a step outside vitest (lint, typecheck, packaging).
import { existsSync, readFileSync } from 'node:fs';

const [reportPath = '.vitest-report.json', statusArg = '0'] = process.argv.slice(2);
const stepStatus = Number(statusArg);
let passed = 0;
let failed = 0;
if (existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  if (report.success === false && failed === 0) failed = 1; // e.g. an unhandled error
} else {
  console.error(`no vitest report at ${reportPath}: the tests did not run`);
}
if (stepStatus !== 0 && failed === 0) {
  console.error(`a step of the test command failed (exit ${stepStatus})`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
