import type { ProbeGroup } from '../probes/probe-definitions.js';
import type { Expectation } from '../probes/probe-expectation.js';
import type { ProbeObservation } from '../probes/probe-observation.js';
import type { RunOutcome } from '../vm/run-outcome.js';
import type { Accelerator } from '../vm/vng-arguments.js';

/**
 * How a probe's result on a kernel compares with its expectation.
 * - `expected`: one of the expected results.
 * - `backport`: the result of a newer kernel, brought to this one by a stable update: accepted.
 * - `contradiction`: a different, definite result: the matrix fails.
 * - `inconclusive`: the probe could not tell (for instance the host forbids loading the program);
 *   reported with the reason, fails only a strict matrix.
 * - `not-run`: the kernel's run produced no probe report (boot failure, crash): the matrix fails.
 */
export type CellVerdict = 'expected' | 'backport' | 'contradiction' | 'inconclusive' | 'not-run';

/** One kernel x probe cell. */
export interface MatrixCell {
  readonly kernel: string;
  readonly probe: string;
  readonly observation: ProbeObservation | undefined;
  readonly expectation: Expectation | undefined;
  readonly verdict: CellVerdict;
}

/** A kernel column of the matrix. */
export interface MatrixColumn {
  readonly kernel: string;
  readonly release: string | undefined;
  /** Upstream version, e.g. 5.10.223. */
  readonly version: string | undefined;
  readonly packageVersion: string | undefined;
  readonly accelerator: Accelerator | 'none';
  /** How the probe runner's run ended. */
  readonly outcome: RunOutcome;
  readonly reason: string;
  readonly bootMs: number | undefined;
}

/** A probe row of the matrix. */
export interface MatrixRow {
  readonly id: string;
  readonly group: ProbeGroup;
  readonly title: string;
  readonly description: string;
  readonly cells: readonly MatrixCell[];
}

/** The kernel x behaviour matrix. */
export interface KernelMatrix {
  readonly generatedAt: string;
  readonly columns: readonly MatrixColumn[];
  readonly rows: readonly MatrixRow[];
  readonly counts: Readonly<Record<CellVerdict, number>>;
  /** No contradiction and every kernel reported (inconclusive cells allowed unless strict). */
  readonly passed: boolean;
  readonly strict: boolean;
}
