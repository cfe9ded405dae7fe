import { libbpfErrnoMessage, libbpfErrnoName } from './libbpf-errno.js';

const BRAND = Symbol.for('progrun.BpfObjectError');

/** What was being done with the ELF object when it failed. */
export type BpfObjectOperation = 'open' | 'configure' | 'load' | 'use';

/** What a {@link BpfObjectError} is built from. */
export interface BpfObjectErrorOptions {
  readonly operation: BpfObjectOperation;
  /** The object: its path, or its name when opened from memory. */
  readonly object: string;
  /** Positive errno or libbpf error code (4000+); absent for misuse (a call in the wrong state). */
  readonly errno?: number;
  /** Code for misuse without an errno, e.g. `'ERR_BPF_OBJECT_NOT_LOADED'`. */
  readonly code?: string;
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
 * for misuse, an `ERR_BPF_OBJECT_*` code; `libbpfLog` holds what libbpf printed meanwhile.
 */
export class BpfObjectError extends Error {
  readonly code: string;
  /** Negative errno, as Node.js reports it; undefined for misuse. */
  readonly errno: number | undefined;
  readonly operation: BpfObjectOperation;
  readonly object: string;
  readonly libbpfLog: string;

  constructor(options: BpfObjectErrorOptions) {
    const code = options.code ?? libbpfErrnoName(options.errno ?? 0);
    const reason = options.errno === undefined ? '' : ` (${libbpfErrnoMessage(options.errno)})`;
    super(
      `${code}${reason}: cannot ${options.operation === 'use' ? 'use' : options.operation} BPF object '${options.object}': ${options.detail}`,
      {
        cause: options.cause,
      },
    );
    this.name = 'BpfObjectError';
    this.code = code;
    this.errno = options.errno === undefined ? undefined : -options.errno;
    this.operation = options.operation;
    this.object = options.object;
    this.libbpfLog = options.libbpfLog ?? '';
  }

  /** True for a BpfObjectError from any copy of @progrun/syscall. */
  static isInstance(value: unknown): value is BpfObjectError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  get [BRAND](): true {
    return true;
  }
}
