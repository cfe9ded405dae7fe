import { formatKernelVersion } from '@progrun/uapi';
import type { KernelRunResult } from '../harness/kernel-run-result.js';
import { type ProbeDefinition, probeDefinitions } from '../probes/probe-definitions.js';
import { compareWithExpectation } from '../probes/probe-expectation.js';
import { type ProbeReport, probeReportFile } from '../probes/probe-observation.js';
import { arrayArgument, objectArgument } from '../util/argument-checks.js';
import type { CellVerdict, KernelMatrix, MatrixCell, MatrixColumn } from './kernel-matrix.js';

function probeReportOf(result: KernelRunResult): ProbeReport | undefined {
  const report = result.guestResults[probeReportFile] as ProbeReport | undefined;
  return report?.schema === 1 && typeof report.observations === 'object' ? report : undefined;
}

function column(result: KernelRunResult): MatrixColumn {
  const kernel = result.kernel;
  return {
    kernel: kernel.name,
    release: 'release' in kernel ? kernel.release : undefined,
    version: 'version' in kernel ? formatKernelVersion(kernel.version) : undefined,
    packageVersion: 'packageVersion' in kernel ? kernel.packageVersion : undefined,
    accelerator: result.accelerator,
    outcome: result.outcome,
    reason: result.reason,
    bootMs: result.bootMs,
  };
}

function cell(definition: ProbeDefinition, result: KernelRunResult): MatrixCell {
  const report = probeReportOf(result);
  const base = { kernel: result.kernel.name, probe: definition.id };
  if (!report || !('version' in result.kernel)) {
    return { ...base, observation: undefined, expectation: undefined, verdict: 'not-run' };
  }
  const observation = report.observations[definition.id];
  const expectation = definition.expectation(result.kernel.version, observation);
  let verdict: CellVerdict;
  if (!observation) verdict = 'not-run';
  else if (observation.outcome === 'inconclusive') verdict = 'inconclusive';
  else verdict = compareWithExpectation(observation, expectation);
  return { ...base, observation, expectation, verdict };
}

/**
 * Compares every kernel's probe report with the probes' expectations for that kernel's version.
 * A kernel whose run ended without a report (boot failure, crash of the runner) makes all its
 * cells `not-run`. The matrix passes when there is no contradiction and nothing is `not-run`;
 * `strict` also fails it on inconclusive probes.
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function evaluateMatrix(
  results: readonly KernelRunResult[],
  options: { strict?: boolean; definitions?: readonly ProbeDefinition[] } = {},
): KernelMatrix {
  arrayArgument('results', results).forEach((result, i) => {
    objectArgument(`results[${i}]`, result, 'a kernel run result (runKernels)');
    objectArgument(`results[${i}].guestResults`, result.guestResults, 'the JSON files of the run, by name');
  });
  objectArgument('options', options, 'an options object');
  const definitions = arrayArgument('options.definitions', options.definitions ?? probeDefinitions);
  const rows = definitions.map((definition) => ({
    id: definition.id,
    group: definition.group,
    title: definition.title,
    description: definition.description,
    cells: results.map((result) => cell(definition, result)),
  }));
  const counts: Record<CellVerdict, number> = {
    expected: 0,
    backport: 0,
    contradiction: 0,
    inconclusive: 0,
    'not-run': 0,
  };
  for (const row of rows) for (const c of row.cells) counts[c.verdict]++;
  const strict = options.strict ?? false;
  return {
    generatedAt: new Date().toISOString(),
    columns: results.map(column),
    rows,
    counts,
    passed: counts.contradiction === 0 && counts['not-run'] === 0 && (!strict || counts.inconclusive === 0),
    strict,
  };
}
