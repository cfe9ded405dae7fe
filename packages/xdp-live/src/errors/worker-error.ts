import { errnoMessage, errnoName } from '@progrun/syscall';

const BRAND = Symbol.for('progrun.xdp-live.WorkerError');

/**
 * A worker thread could not be started (`pthread_create`) or set up: entering the injection's network
 * namespace (`setns`, needs CAP_SYS_ADMIN) or pinning itself to its CPU (`sched_setaffinity`). Shaped like Node's SystemError:
 * `code` ('EPERM'), negative `errno`, `syscall`; plus the worker's `cpu`. Failures of the test run itself
 * are `BpfError`s of @progrun/syscall.
 */
export class WorkerError extends Error {
  readonly code: string;
  /** Negative errno, as in Node.js's SystemError. */
  readonly errno: number;
  readonly syscall: 'setns' | 'sched_setaffinity' | 'pthread_create';
  /** CPU of the worker that failed. */
  readonly cpu: number;

  constructor(syscall: WorkerError['syscall'], errno: number, cpu: number, hint: string) {
    super(`${errnoName(errno)}: ${errnoMessage(errno)}, ${syscall} in the worker for CPU ${cpu}: ${hint}`);
    this.name = 'WorkerError';
    this.code = errnoName(errno);
    this.errno = -errno;
    this.syscall = syscall;
    this.cpu = cpu;
  }

  /** True for a WorkerError from any copy of @progrun/xdp-live. */
  static isInstance(value: unknown): value is WorkerError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  get [BRAND](): true {
    return true;
  }
}
