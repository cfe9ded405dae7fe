const CONTEXT_VALIDATION_ERROR_BRAND = Symbol.for('progrun.ctx-builders.ContextValidationError');

/**
 * A program context (`xdp_md`, `__sk_buff`, ...) or its test-run input would be rejected by the kernel.
 *
 * `field` names the context field (`xdp_md.egress_ifindex`, `__sk_buff.len`, `data`), `rule` the kernel
 * rule it breaks (`must-be-zero`, `not-settable`, `multiple-of-4`, `min-kernel`, ...), `errno` the error
 * the kernel would return for it (`EINVAL`, `E2BIG`, `ERANGE`, ...) and, for version rules, `minKernel`
 * the first kernel that accepts the input.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export class ContextValidationError extends Error {
  /** Dotted path of the field, e.g. `__sk_buff.tstamp`. */
  readonly field: string;
  /** Short name of the rule, e.g. `not-settable`. */
  readonly rule: string;
  /** The errno name the kernel returns for this input, when it rejects it (`EINVAL`, `E2BIG`, ...). */
  readonly errno: string | undefined;
  /** For `min-kernel` rules: the first kernel version (`5.15`) that accepts this input. */
  readonly minKernel: string | undefined;

  /**
   * @param field dotted path of the offending field
   * @param rule short rule name
   * @param message explanation; prefixed with the field
   * @param details the kernel's errno for this input and, for version rules, the minimum kernel
   */
  constructor(
    field: string,
    rule: string,
    message: string,
    details: { errno?: string; minKernel?: string } = {},
  ) {
    super(`${field}: ${message}`);
    this.name = 'ContextValidationError';
    this.field = field;
    this.rule = rule;
    this.errno = details.errno;
    this.minKernel = details.minKernel;
    Object.defineProperty(this, CONTEXT_VALIDATION_ERROR_BRAND, { value: true });
  }

  /** True for any `ContextValidationError`, even one created by another copy of this package. */
  static isInstance(value: unknown): value is ContextValidationError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[CONTEXT_VALIDATION_ERROR_BRAND] === true
    );
  }
}
