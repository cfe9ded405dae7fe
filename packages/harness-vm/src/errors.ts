const brand = Symbol.for('progrun.harness-vm.HarnessError');

/** What went wrong, in a word a program can switch on. */
export type HarnessErrorCode =
  | 'INVALID_OPTION'
  | 'UNKNOWN_KERNEL'
  | 'PROVISIONING_FAILED'
  | 'MISSING_TOOL'
  | 'GUEST_FAILED'
  | 'ABORTED';

/**
 * The one error type thrown by `@progrun/harness-vm`: bad options, an unknown kernel name, a
 * provisioning step that failed, a host tool that is missing, or an aborted operation. Failures of
 * the command under test are never thrown: they are results (see {@link KernelRunResult}).
 *
 * Carries a `Symbol.for()` brand so {@link HarnessError.isInstance} works across package copies.
 */
export class HarnessError extends Error {
  readonly code: HarnessErrorCode;
  /** The option or input the error is about, when there is one (e.g. `kernels[1]`). */
  readonly field: string | undefined;
  readonly [brand] = true;

  constructor(code: HarnessErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
    this.field = options?.field;
  }

  /** True for a {@link HarnessError} from any copy of this package. */
  static isInstance(value: unknown): value is HarnessError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

/** An `AbortError`-shaped {@link HarnessError} for `signal.reason`-less aborts. */
export function abortError(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new HarnessError('ABORTED', 'the operation was aborted');
}

/** Throws the signal's reason when it is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
