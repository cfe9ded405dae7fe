import { ProgrunError } from './progrun-error.js';
import { ProgrunErrorCode } from './progrun-error-code.js';

const MARKER = 'progrun.UapiLookupError';
const symbol = Symbol.for(MARKER);

/**
 * A lookup of something the generated data (or a BTF blob) does not have: a layout, a field, a header
 * set, a BTF type. `code` is `'ERR_PROGRUN_UAPI_LOOKUP'`.
 */
export class UapiLookupError extends ProgrunError {
  declare readonly code: typeof ProgrunErrorCode.UAPI_LOOKUP;
  /** What was looked up, e.g. `layout bpf_attr_token_create in 5.10`. */
  readonly subject: string;

  constructor(subject: string, reason: string) {
    super({ name: 'UapiLookupError', code: ProgrunErrorCode.UAPI_LOOKUP, message: `${subject}: ${reason}` });
    this.subject = subject;
  }

  get [symbol](): true {
    return true;
  }

  /** True for a UapiLookupError from any copy of this package. */
  static override isInstance(error: unknown): error is UapiLookupError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
