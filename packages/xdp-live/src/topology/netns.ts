import { closeSync, existsSync, openSync } from 'node:fs';
import { guardFds, releaseFds } from '../fd-safety-net.js';
import { NAME_PREFIX, removeStaleNetns, trackNetns, untrackNetns } from './cleanup-registry.js';
import { runCommand } from './run-command.js';

let sequence = 0;

/** Options of {@link Netns.create}. */
export interface CreateNetnsOptions {
  /** Name under /run/netns; default `pr-xl-<pid>-<n>` (the pid lets stale namespaces be found later). */
  readonly name?: string;
  readonly signal?: AbortSignal;
}

/**
 * A named network namespace (iproute2's /run/netns/NAME). One created by {@link Netns.create} is owned:
 * `close()` deletes it (and with it every device inside), and it is deleted on process exit or
 * SIGINT/SIGTERM/SIGHUP if still there. One from {@link Netns.open} is borrowed: `close()` only closes the
 * fd this object opened.
 *
 * Needs CAP_SYS_ADMIN. Minimum kernel: any with network namespaces (2.6.24).
 */
export class Netns implements AsyncDisposable {
  readonly name: string;
  /** True when this object created the namespace and deletes it on close(). */
  readonly owned: boolean;
  #fd = -1;
  #closing: Promise<void> | undefined;

  private constructor(name: string, owned: boolean) {
    this.name = name;
    this.owned = owned;
  }

  /**
   * Creates a network namespace with `ip netns add`. Before the first one, namespaces left behind by
   * killed processes (`pr-xl-<dead pid>-*`) are removed.
   * @throws {CommandError} when `ip netns add` fails (name taken, no CAP_SYS_ADMIN).
   * @throws the signal's reason when aborted.
   */
  static async create(options: CreateNetnsOptions = {}): Promise<Netns> {
    if (sequence === 0) removeStaleNetns();
    const name = options.name ?? `${NAME_PREFIX}${process.pid}-${sequence}`;
    sequence++;
    // Tracked before it exists, so that an abort or crash between the two never leaks it.
    trackNetns(name);
    try {
      await runCommand('ip', ['netns', 'add', name], {
        purpose: `create network namespace ${name}`,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      await runCommand('ip', ['netns', 'delete', name], { purpose: 'clean up' }).catch(() => undefined);
      untrackNetns(name);
      throw error;
    }
    return new Netns(name, true);
  }

  /** An existing namespace by name, borrowed: close() does not delete it. */
  static open(name: string): Netns {
    return new Netns(name, false);
  }

  /** /run/netns/NAME. */
  get path(): string {
    return `/run/netns/${this.name}`;
  }

  /** True once close() ran. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * A read-only fd of the namespace (for setns), opened on first use and closed by close().
   * @throws Error ENOENT when the namespace does not exist, or once closed.
   */
  get fd(): number {
    if (this.#closing) throw new Error(`Netns '${this.name}' is closed`);
    if (this.#fd < 0) {
      this.#fd = openSync(this.path, 'r');
      guardFds(this, [this.#fd], `Netns '${this.name}'`);
    }
    return this.#fd;
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
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#fd >= 0) {
      releaseFds(this);
      closeSync(this.#fd);
      this.#fd = -1;
    }
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
}
