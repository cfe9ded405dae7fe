import { BpfError } from './errors/bpf-error.js';
import { errnoOf } from './errors/errno-names.js';
import { native } from './native.js';

interface Held {
  readonly fd: number;
  readonly description: string;
}

// The safety net: an object collected while still open gets its fd closed, with a warning, since a
// leaked BPF object keeps its kernel memory (and a pinned verdict) until the process exits, and a leaked
// network namespace its devices.
const registry = new FinalizationRegistry<Held>((held) => {
  native.closeFd(held.fd);
  process.emitWarning(
    `${held.description} (fd ${held.fd}) was garbage-collected without close(); its fd was closed. ` +
      'Call close() or use `using` to release it deterministically.',
    { code: 'PROGRUN_FD_LEAK', type: 'ResourceWarning' },
  );
});

/**
 * Base of every object of progrun that owns an fd: programs, maps, links, and @progrun/xdp-live's
 * network namespaces and XDP links. `close()` is idempotent,
 * `[Symbol.dispose]` calls it (so `using program = ...` works), and an object collected while open has
 * its fd closed and a `PROGRUN_FD_LEAK` warning emitted. Objects created in a `worker_thread` are closed
 * when that worker ends or is terminated (the addon's environment cleanup hook), so a terminated worker
 * leaves no program, map, link, network namespace or XDP attachment behind.
 */
export abstract class FdOwner implements Disposable {
  #fd: number;
  readonly #token = {};
  readonly #description: string;

  protected constructor(fd: number, description: string) {
    this.#fd = fd;
    this.#description = description;
    registry.register(this, { fd, description }, this.#token);
    // The heap of a terminated worker_thread is thrown away without running the registry: the addon
    // closes what its environment still owns when the environment is torn down.
    native.ownFd(fd);
  }

  /** The fd, or -1 once closed. */
  get fd(): number {
    return this.#fd;
  }

  /** True once close() ran. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /** Closes the fd. Calling it again does nothing. */
  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    this.#fd = -1;
    registry.unregister(this.#token);
    native.closeFd(fd);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * The fd for a command about to be issued.
   * @throws {BpfError} EBADF when the object was closed.
   */
  protected requireFd(command: string): number {
    if (this.#fd < 0) {
      throw new BpfError({
        errno: errnoOf('EBADF'),
        command,
        hint: `the ${this.#description} was closed; it cannot be used any more`,
      });
    }
    return this.#fd;
  }
}
