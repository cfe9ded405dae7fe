import { errnoMessage, errnoName } from '@progrun/syscall';
import { ProgrunError } from '@progrun/uapi';

const MARKER = 'progrun.WorkerError';
const symbol = Symbol.for(MARKER);

/**
 * A worker thread could not be started (`pthread_create`) or set up: entering the injection's network
 * namespace (`setns`, needs CAP_SYS_ADMIN) or pinning itself to its CPU (`sched_setaffinity`). Shaped like Node's SystemError:
 * `code` ('EPERM'), negative `errno`, `syscall`; plus the worker's `cpu`. Failures of the test run itself
 * are `BpfError`s of @progrun/syscall.
 */
export class WorkerError extends ProgrunError {
  /** The errno name, e.g. `'EPERM'`. */
  declare readonly code: string;
  /** Negative errno, as in Node.js's SystemError. */
  readonly errno: number;
  readonly syscall: 'setns' | 'sched_setaffinity' | 'pthread_create';
  /** CPU of the worker that failed. */
  readonly cpu: number;

  constructor(syscall: WorkerError['syscall'], errno: number, cpu: number, hint: string) {
    super({
      name: 'WorkerError',
      code: errnoName(errno),
      message: `${errnoName(errno)}: ${errnoMessage(errno)}, ${syscall} in the worker for CPU ${cpu}: ${hint}`,
    });
    this.errno = -errno;
    this.syscall = syscall;
    this.cpu = cpu;
  }

  get [symbol](): true {
    return true;
  }

  /** True for a WorkerError from any copy of @progrun/xdp-live. */
  static override isInstance(error: unknown): error is WorkerError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
