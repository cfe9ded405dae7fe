import { ProgrunError, ProgrunErrorCode } from '@progrun/uapi';

const MARKER = 'progrun.HarnessError';
const symbol = Symbol.for(MARKER);

/** What went wrong, as a code a program can switch on (see {@link ProgrunErrorCode}). */
export type HarnessErrorCode =
  | typeof ProgrunErrorCode.PROVISIONING_FAILED
  | typeof ProgrunErrorCode.MISSING_TOOL
  | typeof ProgrunErrorCode.GUEST_FAILED
  | typeof ProgrunErrorCode.ABORTED;

/**
 * What `@progrun/harness-vm` throws besides a `ValidationError` for a bad option or an unknown kernel
 * name: a provisioning step that failed (`ERR_PROGRUN_PROVISIONING_FAILED`), a host tool that is missing
 * (`ERR_PROGRUN_MISSING_TOOL`), a guest that failed under a test run (`ERR_PROGRUN_GUEST_FAILED`), or an
 * aborted operation (`ERR_PROGRUN_ABORTED`).
 * Failures of the command under test are never thrown: they are results (see {@link KernelRunResult}).
 *
 * {@link HarnessError.isInstance} works across package copies.
 */
export class HarnessError extends ProgrunError {
  declare readonly code: HarnessErrorCode;

  constructor(code: HarnessErrorCode, message: string, options?: { cause?: unknown }) {
    super({ name: 'HarnessError', code, message, cause: options?.cause });
  }

  get [symbol](): true {
    return true;
  }

  /** True for a {@link HarnessError} from any copy of this package. */
  static override isInstance(error: unknown): error is HarnessError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}

/** An `AbortError`-shaped {@link HarnessError} for `signal.reason`-less aborts. */
export function abortError(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new HarnessError(ProgrunErrorCode.ABORTED, 'the operation was aborted');
}

/** Throws the signal's reason when it is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
