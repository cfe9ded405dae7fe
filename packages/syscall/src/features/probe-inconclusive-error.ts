import { ProgrunError, ProgrunErrorCode } from '@progrun/uapi';

const MARKER = 'progrun.ProbeInconclusiveError';
const symbol = Symbol.for(MARKER);

/**
 * A feature probe could not tell whether the kernel has the feature: loading its probe program or the
 * probe itself failed for another reason (missing privileges, a security policy, memory). `cause` holds
 * that failure. Distinct from NotSupportedError, which is a definite "no". `code` is
 * `'ERR_PROGRUN_PROBE_INCONCLUSIVE'`.
 */
export class ProbeInconclusiveError extends ProgrunError {
  declare readonly code: typeof ProgrunErrorCode.PROBE_INCONCLUSIVE;
  /** The feature's id, e.g. `'test_run:XDP'`. */
  readonly feature: string;

  constructor(feature: string, description: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super({
      name: 'ProbeInconclusiveError',
      code: ProgrunErrorCode.PROBE_INCONCLUSIVE,
      message: `cannot tell whether the kernel supports ${description}: ${reason}`,
      cause,
    });
    this.feature = feature;
  }

  get [symbol](): true {
    return true;
  }

  /** True for a ProbeInconclusiveError from any copy of @progrun/syscall. */
  static override isInstance(error: unknown): error is ProbeInconclusiveError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
