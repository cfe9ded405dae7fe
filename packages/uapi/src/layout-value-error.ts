const BRAND = Symbol.for('progrun.uapi.LayoutValueError');

/**
 * A value that cannot be encoded into (or a buffer that cannot be decoded as) a layout. `field`
 * is the path of the offending field (`bpf_attr_test.repeat`), `rule` what it must satisfy.
 */
export class LayoutValueError extends Error {
  readonly code = 'ERR_UAPI_LAYOUT_VALUE';
  readonly field: string;
  readonly rule: string;

  constructor(field: string, rule: string) {
    super(`${field} ${rule}`);
    this.name = 'LayoutValueError';
    this.field = field;
    this.rule = rule;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for a LayoutValueError from any copy of this package. */
  static isInstance(error: unknown): error is LayoutValueError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
  }
}
