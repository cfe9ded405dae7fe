import { errnoMessage, errnoName } from './errno-names.js';

const BRAND = Symbol.for('progrun.BpfError');

/** What a {@link BpfError} is built from. */
export interface BpfErrorOptions {
  /** Positive errno the kernel returned. */
  readonly errno: number;
  /** The bpf command, e.g. `'BPF_PROG_TEST_RUN'`. */
  readonly command: string;
  /** What to change, appended to the message. */
  readonly hint?: string;
  /** The verifier's log, for BPF_PROG_LOAD failures. */
  readonly verifierLog?: string;
  /** The bpffs path, for BPF_OBJ_PIN and BPF_OBJ_GET. */
  readonly path?: string;
  readonly cause?: unknown;
}

/**
 * A failed `bpf()` call, shaped like Node.js's SystemError: `code` (`'EINVAL'`), `errno` (negative, as
 * Node reports it: `-22`), `syscall` (`'bpf'`), plus the bpf `command`. The message names the errno and
 * says what to change when the cause is known. ENOTSUPP (524), which the kernel returns for operations a
 * program or map type lacks, has its own code `'ENOTSUPP'`.
 *
 * Use {@link BpfError.isInstance} rather than `instanceof`: it also recognises errors from another copy of
 * this package.
 */
export class BpfError extends Error {
  /** Symbolic errno name, e.g. `'EINVAL'`, `'ENOTSUPP'`. */
  readonly code: string;
  /** Negative errno, as in Node.js's SystemError (`-22` for EINVAL). */
  readonly errno: number;
  readonly syscall = 'bpf' as const;
  /** The bpf command that failed, e.g. `'BPF_PROG_TEST_RUN'`. */
  readonly command: string;
  /** The verifier's log when BPF_PROG_LOAD failed (empty when the kernel wrote none). */
  declare readonly verifierLog?: string;
  /** The bpffs path of BPF_OBJ_PIN / BPF_OBJ_GET. */
  declare readonly path?: string;

  constructor(options: BpfErrorOptions) {
    const code = errnoName(options.errno);
    const where = options.path === undefined ? options.command : `${options.command} '${options.path}'`;
    const base = `${code}: ${errnoMessage(options.errno)}, bpf ${where}`;
    super(
      options.hint ? `${base}: ${options.hint}` : base,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'BpfError';
    this.code = code;
    this.errno = -options.errno;
    this.command = options.command;
    if (options.verifierLog !== undefined)
      Object.defineProperty(this, 'verifierLog', { value: options.verifierLog, enumerable: true });
    if (options.path !== undefined)
      Object.defineProperty(this, 'path', { value: options.path, enumerable: true });
  }

  /** True for a BpfError from any copy of @progrun/syscall. */
  static isInstance(value: unknown): value is BpfError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  get [BRAND](): true {
    return true;
  }
}
