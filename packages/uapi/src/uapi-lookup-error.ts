const BRAND = Symbol.for('progrun.uapi.UapiLookupError');

/** A lookup of something the generated data does not have: a layout, a field or a header set. */
export class UapiLookupError extends Error {
  readonly code = 'ERR_UAPI_LOOKUP';
  /** What was looked up, e.g. `layout bpf_attr_token_create in 5.10`. */
  readonly subject: string;

  constructor(subject: string, reason: string) {
    super(`${subject}: ${reason}`);
    this.name = 'UapiLookupError';
    this.subject = subject;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for a UapiLookupError from any copy of this package. */
  static isInstance(error: unknown): error is UapiLookupError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
  }
}
