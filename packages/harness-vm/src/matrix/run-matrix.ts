import { join } from 'node:path';
import { type RunReport, runKernels } from '../harness/run-kernels.js';
import type { RunKernelsOptions } from '../harness/run-options.js';
import { kernelCatalogue } from '../kernels/catalogue.js';
import { probeRunnerCommand } from '../probes/probe-runner-command.js';
import { requireProbeSuiteDependency } from '../probes/probe-suite-dependency.js';
import { writeJsonFile } from '../util/json-file.js';
import { evaluateMatrix } from './evaluate-matrix.js';
import type { KernelMatrix } from './kernel-matrix.js';

/** Options of {@link runMatrix}: those of `runKernels` without the command. */
export interface RunMatrixOptions extends Omit<RunKernelsOptions, 'command' | 'kernels'> {
  /** Kernels to probe; default every catalogue entry. */
  readonly kernels?: readonly string[];
  /** Fail the matrix on inconclusive probes too. */
  readonly strict?: boolean;
}

/** What {@link runMatrix} returns. */
export interface MatrixRunResult {
  readonly matrix: KernelMatrix;
  readonly report: RunReport;
}

/**
 * Runs the probe suite (BPF_PROG_RUN behaviour, through `@progrun/syscall`) on each kernel and
 * compares the answers with what each probe declares for that kernel version. Writes
 * `matrix.json` beside the run's `report.json`.
 *
 * @throws as {@link runKernels}; a `HarnessError` `MISSING_TOOL` before any kernel boots when
 *   `@progrun/syscall` (an optional dependency, which the probe suite needs) is not installed, and its
 *   own error when its native addon cannot be loaded.
 */
export async function runMatrix(options: RunMatrixOptions = {}): Promise<MatrixRunResult> {
  const { strict, kernels, ...rest } = options;
  await requireProbeSuiteDependency();
  const report = await runKernels({
    ...rest,
    kernels: kernels ?? (options.catalogue ?? kernelCatalogue).map((entry) => entry.name),
    command: probeRunnerCommand(),
  });
  const matrix = evaluateMatrix(report.results, { strict });
  writeJsonFile(join(report.outDir, 'matrix.json'), matrix);
  return { matrix, report };
}
