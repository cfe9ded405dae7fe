/**
 * What one probe saw on one kernel.
 * - `ok` / `error`: a raw BPF_PROG_TEST_RUN call returned (with the program's `retval`) or failed
 *   (with the errno name in `code`).
 * - `supported` / `unsupported`: the answer of a feature probe of `@progrun/syscall` (`code`: the
 *   errno that revealed the absence, when there was one).
 * - `inconclusive`: the probe could not tell (program load refused, unexpected errno); `note` says why.
 */
export interface ProbeObservation {
  readonly outcome: 'ok' | 'error' | 'supported' | 'unsupported' | 'inconclusive';
  readonly code?: string;
  readonly retval?: number;
  /** Extra facts, e.g. `data_out = data_in`. */
  readonly note?: string;
  /** For feature probes: the minimum kernel and removal the feature declares. */
  readonly declared?: { readonly minKernel?: string; readonly removedIn?: string };
  /** How long the probe took in the guest (loading its program included), ms. */
  readonly durationMs?: number;
}

/** The file the guest probe runner writes into `PROGRUN_RESULTS_DIR`. */
export interface ProbeReport {
  readonly schema: 1;
  /** `uname -r` inside the guest. */
  readonly release: string;
  readonly observations: Readonly<Record<string, ProbeObservation>>;
}

/** The name of that file. */
export const probeReportFile = 'probes.json';

/** A short cell text: `ok, retval 2`, `EINVAL`, `supported`, `unsupported (ENOTSUPP)`. */
export function formatObservation(observation: ProbeObservation | undefined): string {
  if (!observation) return 'not run';
  switch (observation.outcome) {
    case 'ok':
      return observation.retval === undefined ? 'ok' : `ok, retval ${observation.retval}`;
    case 'error':
      return observation.code ?? 'error';
    case 'unsupported':
      return observation.code ? `unsupported (${observation.code})` : 'unsupported';
    default:
      return observation.outcome;
  }
}
