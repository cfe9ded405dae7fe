// Prints, for each kernel project of a run (kernel:host, kernel:5.10...), how many tests passed, were skipped
// (grouped by the reason they give, or by name for a skipIf) and failed, from the results file tests/fixtures/test-results-reporter.ts
// writes. Usage: node .ci/kernel-counts.mjs RESULTS_JSON. Prints nothing when the run had no kernel project.
import { existsSync, readFileSync } from 'node:fs';

const [resultsPath] = process.argv.slice(2);
if (!resultsPath || !existsSync(resultsPath)) {
  console.log('kernel projects: no results file (the test suite did not finish)');
  process.exit(0);
}
const { tests, errors } = JSON.parse(readFileSync(resultsPath, 'utf8'));
const kernels = new Map();
for (const test of tests) {
  if (!test.project.startsWith('kernel:')) continue;
  const counts = kernels.get(test.project) ?? { passed: 0, skipped: 0, failed: 0, reasons: new Map() };
  if (test.state === 'passed') counts.passed++;
  else if (test.state === 'skipped') {
    counts.skipped++;
    // A test skipped by skipIf carries no note: its name says what it needs ("... (Linux 5.15+)").
    const reason = test.note ?? `(by its name) ${test.name}`;
    counts.reasons.set(reason, (counts.reasons.get(reason) ?? 0) + 1);
  } else counts.failed++;
  kernels.set(test.project, counts);
}
for (const [project, counts] of kernels) {
  console.log(`${project}: ${counts.passed} passed, ${counts.skipped} skipped, ${counts.failed} failed`);
  for (const [reason, count] of [...counts.reasons].sort((a, b) => b[1] - a[1])) {
    console.log(`  skipped ${count}x: ${reason.split('\n')[0]}`);
  }
}
if (kernels.size > 0 && errors.length > 0) console.log(`errors outside tests: ${errors.length}`);
