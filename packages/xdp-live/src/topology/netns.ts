import { existsSync, openSync } from 'node:fs';
import { FdOwner, ValidationError } from '@progrun/syscall';
import { signalArgument } from '../signal-argument.js';
import { NAME_PREFIX, removeStaleNetns, trackNetns, untrackNetns } from './cleanup-registry.js';
import { runCommand } from './run-command.js';

let sequence = 0;

/** Options of {@link Netns.create}. */
export interface CreateNetnsOptions {
  /** Name under /run/netns; default `pr-xl-<pid>-<n>` (the pid lets stale namespaces be found later). */
  readonly name?: string;
  readonly signal?: AbortSignal;
}

const pathOf = (name: string) => `/run/netns/${name}`;

/** A namespace name as iproute2 takes it: a file name in /run/netns (no '/', not '.' or '..', no NUL). */
function netnsName(field: string, name: unknown): string {
  if (
    typeof name !== 'string' ||
    name === '' ||
    name === '.' ||
    name === '..' ||
    /[/\0]/.test(name) ||
    Buffer.byteLength(name) > 255
  )
    throw new ValidationError(field, "a file name of at most 255 bytes (no '/', not '.' or '..')", {
      received: name,
    });
  return name;
}

/**
 * A named network namespace (iproute2's /run/netns/NAME), held open by a read-only fd (for setns). One
 * created by {@link Netns.create} is owned: `close()` deletes it (and with it every device inside), and
 * it is deleted on process exit or SIGINT/SIGTERM/SIGHUP if still there. One from {@link Netns.open} is
 * borrowed: `close()` only closes the fd this object opened. Like every fd owner of progrun
 * ({@link FdOwner}), one collected while open has its fd closed with a `PROGRUN_FD_LEAK` warning.
 *
 * Needs CAP_SYS_ADMIN. Minimum kernel: any with network namespaces (2.6.24).
 */
export class Netns extends FdOwner implements AsyncDisposable {
  readonly name: string;
  /** True when this object created the namespace and deletes it on close(). */
  readonly owned: boolean;
  #closing: Promise<void> | undefined;

  private constructor(name: string, owned: boolean, fd: number) {
    super(fd, `Netns '${name}'`);
    this.name = name;
    this.owned = owned;
  }

  /**
   * Creates a network namespace with `ip netns add`. Before the first one, namespaces left behind by
   * killed processes (`pr-xl-<dead pid>-*`) are removed.
   * @throws {CommandError} when `ip netns add` fails (no CAP_SYS_ADMIN).
   * @throws {ValidationError} for options that are not an object, a signal that is not an AbortSignal, a
   *   name that is not a file name, or the name of a namespace that exists (it is not this one's to delete).
   * @throws the signal's reason when aborted.
   */
  static async create(options: CreateNetnsOptions = {}): Promise<Netns> {
    if (typeof options !== 'object' || options === null)
      throw new ValidationError('options', 'an object', { received: options });
    const signal = signalArgument('options.signal', options.signal);
    const name =
      options.name === undefined
        ? `${NAME_PREFIX}${process.pid}-${sequence}`
        : netnsName('options.name', options.name);
    if (sequence === 0) removeStaleNetns();
    // The clean-up after a failed `ip netns add` deletes the name: never one somebody else made.
    if (existsSync(pathOf(name)))
      throw new ValidationError('options.name', 'the name of no existing namespace', { received: name });
    sequence++;
    // Tracked before it exists, so that an abort or crash between the two never leaks it.
    trackNetns(name);
    let fd: number;
    try {
      await runCommand('ip', ['netns', 'add', name], {
        purpose: `create network namespace ${name}`,
        ...(signal ? { signal } : {}),
      });
      fd = openSync(pathOf(name), 'r');
    } catch (error) {
      await runCommand('ip', ['netns', 'delete', name], { purpose: 'clean up' }).catch(() => undefined);
      untrackNetns(name);
      throw error;
    }
    return new Netns(name, true, fd);
  }

  /**
   * An existing namespace by name, borrowed: close() closes its fd and does not delete it.
   * @throws Error ENOENT when no namespace of that name exists.
   * @throws {ValidationError} when `name` is not a file name.
   */
  static open(name: string): Netns {
    return new Netns(name, false, openSync(pathOf(netnsName('name', name)), 'r'));
  }

  /** /run/netns/NAME. */
  get path(): string {
    return pathOf(this.name);
  }

  /**
   * The namespace's fd (for setns).
   * @throws Error once closed: an fd of -1 would mean "the caller's namespace" to the native calls.
   */
  override get fd(): number {
    if (this.closed) throw new Error(`Netns '${this.name}' is closed`);
    return super.fd;
  }

  /**
   * Runs `ip -n NAME <args>` and returns its stdout.
   * @throws {CommandError} when it fails.
   */
  ip(args: readonly string[], purpose: string, signal?: AbortSignal): Promise<string> {
    return runCommand('ip', ['-n', this.name, ...args], { purpose, ...(signal ? { signal } : {}) });
  }

  /**
   * Runs a command inside the namespace (`ip netns exec NAME ...`) and returns its stdout.
   * @throws {CommandError} when it fails.
   */
  exec(command: string, args: readonly string[], purpose: string, signal?: AbortSignal): Promise<string> {
    return runCommand('ip', ['netns', 'exec', this.name, command, ...args], {
      purpose,
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * Closes the fd and, when owned, deletes the namespace with every device in it. Idempotent: later
   * calls return the first call's promise.
   * @throws {CommandError} when `ip netns delete` fails.
   */
  override close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    super.close();
    if (!this.owned) return;
    try {
      await runCommand('ip', ['netns', 'delete', this.name], {
        purpose: `delete network namespace ${this.name}`,
      });
    } catch (error) {
      // Deleted by someone else meanwhile (removeStaleNetns, `ip netns delete`): nothing left to do.
      // Otherwise it stays tracked, so that the exit hook tries again.
      if (existsSync(this.path)) throw error;
    }
    untrackNetns(this.name);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * `using` (synchronous): closes the fd at once and starts the deletion without waiting for it; a
   * deletion that fails is retried at process exit. Prefer `await using`, which waits and throws.
   */
  override [Symbol.dispose](): void {
    this.close().catch(() => undefined);
  }
}
