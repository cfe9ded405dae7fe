const BRAND = Symbol.for('progrun.NotSupportedError');

/**
 * The running kernel lacks a feature: a typed "not supported" answer, distinct from a failure. `feature`
 * names it; `minKernel` is the first mainline version that has it (`'5.13'`), or undefined when no
 * kernel has it. `cause` holds the {@link BpfError} that revealed it, if any.
 */
export class NotSupportedError extends Error {
  readonly code = 'ERR_BPF_NOT_SUPPORTED' as const;
  readonly feature: string;
  readonly minKernel: string | undefined;

  constructor(feature: string, minKernel: string | undefined, options?: { cause?: unknown; hint?: string }) {
    const needs = minKernel === undefined ? 'no kernel supports it' : `requires Linux ${minKernel} or newer`;
    super(
      `${feature} is not supported by this kernel (${needs})${options?.hint ? `: ${options.hint}` : ''}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'NotSupportedError';
    this.feature = feature;
    this.minKernel = minKernel;
  }

  /** True for a NotSupportedError from any copy of @progrun/syscall. */
  static isInstance(value: unknown): value is NotSupportedError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  get [BRAND](): true {
    return true;
  }
}
