import { describeValue } from '../arguments/describe-value.js';
import { Errno, type ErrnoName } from '../generated/errno.js';
import { ProgrunError } from './progrun-error.js';
import { ProgrunErrorCode } from './progrun-error-code.js';

const MARKER = 'progrun.ValidationError';
const symbol = Symbol.for(MARKER);

/** What a {@link ValidationError} says beyond its field and rule. */
export interface ValidationDetails {
  /**
   * The explanation, when the rule alone does not say what to change. The message is then
   * `<field>: <message>`; without it, `<field> must be <rule>`.
   */
  readonly message?: string;
  /** The value that broke the rule; described (`received 1.5`, `received Uint8Array(3 bytes)`) when the key is present, even as `undefined`. */
  readonly received?: unknown;
  /** For inputs an older kernel rejects: the first mainline kernel that accepts them (`'5.15'`). */
  readonly minKernel?: string;
  /** The errno name the kernel would answer this input with (`'EINVAL'`, `'E2BIG'`), when it rejects it. */
  readonly kernelCode?: ErrnoName;
  readonly cause?: unknown;
}

/**
 * An input broke a rule: an argument or option, a program context the kernel would reject, a value
 * that does not fit a struct field, a packet field, a command-line flag. `field` names it as a dotted
 * path (`options.repeat`, `__sk_buff.tstamp`, `bpf_attr_test.repeat`, `ipv4.ttl`, `--repeat`), `rule`
 * says what it must be (`an integer in [0, 2^32)`) or names the rule (`not-settable`, `multiple-of-4`).
 *
 * When the kernel itself would refuse the input, `kernelCode` and `kernelErrno` give its answer (as `code`
 * and the negative `errno` of the BpfError it would raise) and, for inputs newer kernels accept,
 * `minKernel` the first mainline version that does. `code` is always `'ERR_PROGRUN_VALIDATION'`.
 *
 * Thrown before any syscall is made. Minimum kernel: none (pure TypeScript).
 */
export class ValidationError extends ProgrunError {
  declare readonly code: typeof ProgrunErrorCode.VALIDATION;
  /** Dotted path of the offending input, e.g. `options.repeat`, `xdp_md.egress_ifindex`. */
  readonly field: string;
  /** What the input must be (`an integer in [0, 2^32)`), or the rule's short name (`not-settable`). */
  readonly rule: string;
  /** The first mainline kernel (`'5.18'`) that accepts this input, for inputs older kernels reject. */
  readonly minKernel: string | undefined;
  /** The errno name the kernel answers this input with (`'EINVAL'`), when it rejects it. */
  readonly kernelCode: ErrnoName | undefined;
  /** The negative errno the kernel answers this input with (`-22`), when it rejects it. */
  readonly kernelErrno: number | undefined;

  /**
   * @param field dotted path of the offending input
   * @param rule what it must be, or the rule's short name when `details.message` explains it
   * @param details the explanation, the value received, the kernel's answer and the minimum kernel
   */
  constructor(field: string, rule: string, details: ValidationDetails = {}) {
    const said = details.message === undefined ? `${field} must be ${rule}` : `${field}: ${details.message}`;
    super({
      name: 'ValidationError',
      code: ProgrunErrorCode.VALIDATION,
      message: 'received' in details ? `${said}; received ${describeValue(details.received)}` : said,
      cause: details.cause,
    });
    this.field = field;
    this.rule = rule;
    this.minKernel = details.minKernel;
    this.kernelCode = details.kernelCode;
    this.kernelErrno = details.kernelCode === undefined ? undefined : -Errno[details.kernelCode];
  }

  get [symbol](): true {
    return true;
  }

  /** True for a ValidationError (or subclass) from any copy of the progrun packages. */
  static override isInstance(error: unknown): error is ValidationError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
