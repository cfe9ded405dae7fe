const BRAND = Symbol.for('progrun.ProbeInconclusiveError');

/**
 * A feature probe could not tell whether the kernel has the feature: loading its probe program or the
 * probe itself failed for another reason (missing privileges, a security policy, memory). `cause` holds
 * that failure. Distinct from NotSupportedError, which is a definite "no".
 */
export class ProbeInconclusiveError extends Error {
  readonly code = 'ERR_BPF_PROBE_INCONCLUSIVE' as const;
  /** The feature's id, e.g. `'test_run:XDP'`. */
  readonly feature: string;

  constructor(feature: string, description: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot tell whether the kernel supports ${description}: ${reason}`, { cause });
    this.name = 'ProbeInconclusiveError';
    this.feature = feature;
  }

  /** True for a ProbeInconclusiveError from any copy of @progrun/syscall. */
  static isInstance(value: unknown): value is ProbeInconclusiveError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  get [BRAND](): true {
    return true;
  }
}
