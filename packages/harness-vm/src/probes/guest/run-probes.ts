#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { type ProbeReport, probeReportFile } from '../probe-observation.js';
import { runAllProbes } from './probe-implementations.js';

// The probe runner the matrix starts in every guest (and on the host): writes probes.json into
// PROGRUN_RESULTS_DIR and exits 0; the host compares the observations with the expectations.
const dir = process.env.PROGRUN_RESULTS_DIR;
if (!dir) {
  process.stderr.write('run-probes: PROGRUN_RESULTS_DIR is not set (run through harness-vm)\n');
  process.exitCode = 2;
} else {
  const report: ProbeReport = { schema: 1, release: release(), observations: runAllProbes() };
  writeFileSync(join(dir, probeReportFile), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${Object.keys(report.observations).length} probes on ${report.release}\n`);
}
