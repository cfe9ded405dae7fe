// Prints the closing line of a CI run from Vitest's JSON report and the failed CI steps.
// Usage: node .ci/summarize.mjs VITEST_JSON FAILED_STEP_COUNT [FAILED_STEP...]
// Each failed step other than the test suite counts as one failure. Exits non-zero on any failure.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath, stepCountArg, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
if (reportPath && existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  // A suite that failed to load reports no failed test: count it.
  failed += report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  ).length;
} else {
  console.log('no test report: the test suite did not run');
}
const stepFailures = failedSteps.filter((name) => !name.startsWith('quick start 2'));
for (const name of failedSteps) console.log(`failed step: ${name}`);
failed += stepFailures.length;
if (Number(stepCountArg) > 0 && failed === 0) failed = Number(stepCountArg);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
