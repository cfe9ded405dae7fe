import { ProgrunError, ProgrunErrorCode } from '@progrun/uapi';

const MARKER = 'progrun.NotSupportedError';
const symbol = Symbol.for(MARKER);

/**
 * The running kernel lacks a feature: a typed "not supported" answer, distinct from a failure. `feature`
 * names it; `minKernel` is the first mainline version that has it (`'5.13'`), or undefined when no
 * kernel has it. `cause` holds the {@link BpfError} that revealed it, if any. `code` is
 * `'ERR_PROGRUN_NOT_SUPPORTED'`.
 */
export class NotSupportedError extends ProgrunError {
  declare readonly code: typeof ProgrunErrorCode.NOT_SUPPORTED;
  readonly feature: string;
  readonly minKernel: string | undefined;

  constructor(feature: string, minKernel: string | undefined, options?: { cause?: unknown; hint?: string }) {
    const needs = minKernel === undefined ? 'no kernel supports it' : `requires Linux ${minKernel} or newer`;
    super({
      name: 'NotSupportedError',
      code: ProgrunErrorCode.NOT_SUPPORTED,
      message: `${feature} is not supported by this kernel (${needs})${options?.hint ? `: ${options.hint}` : ''}`,
      cause: options?.cause,
    });
    this.feature = feature;
    this.minKernel = minKernel;
  }

  get [symbol](): true {
    return true;
  }

  /** True for a NotSupportedError from any copy of @progrun/syscall. */
  static override isInstance(error: unknown): error is NotSupportedError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
