import { closeSync } from 'node:fs';
import { BpfError } from '@progrun/syscall';
import { guardFds, releaseFds } from '../fd-safety-net.js';
import { native } from '../native.js';

/** XDP_FLAGS_SKB_MODE: generic XDP, which every device (the loopback one included) supports. */
const XDP_FLAGS_SKB_MODE = 1 << 1;
const LOOPBACK_IFINDEX = 1;

/**
 * Keeps an XDP program attached while it is injected with: a BPF link of the program in generic mode on
 * the loopback device of a new, unnamed network namespace that only this object's fds keep alive.
 *
 * Why: a live-frame test run (repeat >= 2) adds the program to the kernel's XDP dispatcher before it runs
 * and removes it after, and each change waits for two RCU grace periods: 16-24 ms per call. While the
 * same program is attached to some device the dispatcher already holds it, and a call costs
 * microseconds. The private namespace means no real device sees the program and nothing can send
 * traffic through it; closing the link fd detaches it, closing the namespace fd destroys the namespace.
 *
 * Minimum kernel: 5.9 (BPF links for XDP). Needs CAP_SYS_ADMIN and CAP_NET_ADMIN.
 * @internal
 */
export class DispatcherAnchor implements Disposable {
  #netnsFd: number;
  #linkFd: number;

  private constructor(netnsFd: number, linkFd: number) {
    this.#netnsFd = netnsFd;
    this.#linkFd = linkFd;
    guardFds(this, [linkFd, netnsFd], 'DispatcherAnchor');
  }

  /**
   * Attaches the program.
   * @throws {BpfError} when the namespace cannot be created (EPERM) or BPF_LINK_CREATE fails (e.g. a
   *   multi-buffer program, or one loaded for a devmap/cpumap).
   */
  static attach(progFd: number): DispatcherAnchor {
    const netnsFd = native.createPrivateNetns();
    if (netnsFd < 0) {
      throw new BpfError({
        errno: -netnsFd,
        command: 'BPF_LINK_CREATE',
        hint: 'could not create the private network namespace that keeps the program attached (unshare CLONE_NEWNET)',
      });
    }
    const linkFd = native.xdpLinkCreate(netnsFd, LOOPBACK_IFINDEX, progFd, XDP_FLAGS_SKB_MODE);
    if (linkFd < 0) {
      closeSync(netnsFd);
      throw new BpfError({
        errno: -linkFd,
        command: 'BPF_LINK_CREATE',
        hint: 'could not attach the program (generic XDP, loopback of a private namespace) to keep it in the XDP dispatcher',
      });
    }
    return new DispatcherAnchor(netnsFd, linkFd);
  }

  /** Detaches the program and destroys the namespace. Idempotent. */
  close(): void {
    if (this.#linkFd < 0) return;
    releaseFds(this);
    closeSync(this.#linkFd);
    closeSync(this.#netnsFd);
    this.#linkFd = -1;
    this.#netnsFd = -1;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
