import { ProgrunError } from '@progrun/uapi';
import { errnoMessage, errnoName } from './errno-names.js';

const MARKER = 'progrun.BpfError';
const symbol = Symbol.for(MARKER);

/**
 * What the kernel had filled in when a BPF_PROG_TEST_RUN failed with ENOSPC: it ran the program, wrote
 * retval and the sizes it needed, and copied as much of the output as fitted.
 */
export interface PartialTestRun {
  /** The program's return value. */
  readonly retval: number;
  /** Bytes of packet the run produced: more than the data_out it was given when that was too short. */
  readonly dataSizeOut: number;
  /** The first bytes of that packet, as many as data_out held (absent when no data_out was passed). */
  readonly dataOut?: Buffer;
  /** Bytes of context the run produced; only when the packet fitted and the context did not. */
  readonly ctxSizeOut?: number;
  /** The first bytes of that context, as many as ctx_out held; only with ctxSizeOut. */
  readonly ctxOut?: Buffer;
}

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
  /** BPF_PROG_TEST_RUN after ENOSPC: what the kernel filled in; its fields become the error's. */
  readonly partialRun?: PartialTestRun;
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
export class BpfError extends ProgrunError {
  /** Symbolic errno name, e.g. `'EINVAL'`, `'ENOTSUPP'`. */
  declare readonly code: string;
  /** Negative errno, as in Node.js's SystemError (`-22` for EINVAL). */
  readonly errno: number;
  readonly syscall = 'bpf' as const;
  /** The bpf command that failed, e.g. `'BPF_PROG_TEST_RUN'`. */
  readonly command: string;
  /** The verifier's log when BPF_PROG_LOAD failed (empty when the kernel wrote none). */
  declare readonly verifierLog?: string;
  /** The bpffs path of BPF_OBJ_PIN / BPF_OBJ_GET. */
  declare readonly path?: string;
  /** BPF_PROG_TEST_RUN after ENOSPC: the program's return value (the program did run). */
  declare readonly retval?: number;
  /** BPF_PROG_TEST_RUN after ENOSPC: bytes of packet the run produced (what data_out would need). */
  declare readonly dataSizeOut?: number;
  /** BPF_PROG_TEST_RUN after ENOSPC: the packet as far as data_out held it. */
  declare readonly dataOut?: Buffer;
  /** BPF_PROG_TEST_RUN after ENOSPC of the context: bytes of context the run produced. */
  declare readonly ctxSizeOut?: number;
  /** BPF_PROG_TEST_RUN after ENOSPC of the context: the context as far as ctx_out held it. */
  declare readonly ctxOut?: Buffer;

  constructor(options: BpfErrorOptions) {
    const code = errnoName(options.errno);
    const where = options.path === undefined ? options.command : `${options.command} '${options.path}'`;
    const base = `${code}: ${errnoMessage(options.errno)}, bpf ${where}`;
    super({
      name: 'BpfError',
      code,
      message: options.hint ? `${base}: ${options.hint}` : base,
      cause: options.cause,
    });
    this.errno = -options.errno;
    this.command = options.command;
    if (options.verifierLog !== undefined)
      Object.defineProperty(this, 'verifierLog', { value: options.verifierLog, enumerable: true });
    if (options.path !== undefined)
      Object.defineProperty(this, 'path', { value: options.path, enumerable: true });
    for (const [key, value] of Object.entries(options.partialRun ?? {}))
      Object.defineProperty(this, key, { value, enumerable: true });
  }

  get [symbol](): true {
    return true;
  }

  /** True for a BpfError from any copy of @progrun/syscall. */
  static override isInstance(error: unknown): error is BpfError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
