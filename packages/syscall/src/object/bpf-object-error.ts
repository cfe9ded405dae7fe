import { ProgrunError, type ProgrunErrorCode } from '@progrun/uapi';
import { libbpfErrnoMessage, libbpfErrnoName } from './libbpf-errno.js';

const MARKER = 'progrun.BpfObjectError';
const symbol = Symbol.for(MARKER);

/** The codes of misuse: a call in the wrong state, with no errno. */
export type BpfObjectMisuseCode =
  | typeof ProgrunErrorCode.BPF_OBJECT_LOADED
  | typeof ProgrunErrorCode.BPF_OBJECT_NOT_LOADED
  | typeof ProgrunErrorCode.BPF_OBJECT_CLOSED
  | typeof ProgrunErrorCode.BPF_OBJECT_PROGRAM_TYPE;

/** What was being done with the ELF object when it failed. */
export type BpfObjectOperation = 'open' | 'configure' | 'load' | 'use';

/** What a {@link BpfObjectError} is built from. */
export interface BpfObjectErrorOptions {
  readonly operation: BpfObjectOperation;
  /** The object: its path, or its name when opened from memory. */
  readonly object: string;
  /** Positive errno or libbpf error code (4000+); absent for misuse (a call in the wrong state). */
  readonly errno?: number;
  /** Code for misuse without an errno, e.g. `'ERR_PROGRUN_BPF_OBJECT_NOT_LOADED'`. */
  readonly code?: BpfObjectMisuseCode;
  /** What went wrong and what to change. */
  readonly detail: string;
  /** libbpf's messages during the failed call. */
  readonly libbpfLog?: string;
  readonly cause?: unknown;
}

/**
 * An ELF object could not be opened, configured, loaded or used, for a reason other than a verifier
 * rejection (which is a `BpfError` from BPF_PROG_LOAD carrying the verifier log): a missing or malformed
 * file, a failed CO-RE relocation, a map the kernel refused, a program name the object lacks, a call in
 * the wrong state. `code` is the errno name (`'ENOENT'`), libbpf's own code (`'LIBBPF_ERRNO__FORMAT'`) or,
 * for misuse, an `ERR_PROGRUN_BPF_OBJECT_*` code; `libbpfLog` holds what libbpf printed meanwhile.
 */
export class BpfObjectError extends ProgrunError {
  /** The errno name, libbpf's code, or an `ERR_PROGRUN_BPF_OBJECT_*` code for misuse. */
  declare readonly code: string;
  /** Negative errno (or negative libbpf code), as Node.js reports it; undefined for misuse. */
  readonly errno: number | undefined;
  readonly operation: BpfObjectOperation;
  readonly object: string;
  readonly libbpfLog: string;

  constructor(options: BpfObjectErrorOptions) {
    const code = options.code ?? libbpfErrnoName(options.errno ?? 0);
    const reason = options.errno === undefined ? '' : ` (${libbpfErrnoMessage(options.errno)})`;
    super({
      name: 'BpfObjectError',
      code,
      message: `${code}${reason}: cannot ${options.operation} BPF object '${options.object}': ${options.detail}`,
      cause: options.cause,
    });
    this.errno = options.errno === undefined ? undefined : -options.errno;
    this.operation = options.operation;
    this.object = options.object;
    this.libbpfLog = options.libbpfLog ?? '';
  }

  get [symbol](): true {
    return true;
  }

  /** True for a BpfObjectError from any copy of @progrun/syscall. */
  static override isInstance(error: unknown): error is BpfObjectError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
