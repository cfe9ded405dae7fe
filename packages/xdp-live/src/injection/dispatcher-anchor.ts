import { BpfError, FdOwner } from '@progrun/syscall';
import { native } from '@progrun/syscall/native';
import { XDP_FLAGS_SKB_MODE, XdpLink } from '../topology/xdp-link.js';

const LOOPBACK_IFINDEX = 1;

/**
 * Keeps an XDP program attached while it is injected with: a BPF link of the program in generic mode on
 * the loopback device of a new, unnamed network namespace that only this object's fd keeps alive.
 *
 * Why: a live-frame test run (repeat >= 2) adds the program to the kernel's XDP dispatcher before it runs
 * and removes it after, and each change waits for two RCU grace periods: 16-24 ms per call. While the
 * same program is attached to some device the dispatcher already holds it, and a call costs
 * microseconds. The private namespace means no real device sees the program and nothing can send
 * traffic through it; closing the link detaches it, closing the namespace fd (this object's) destroys
 * the namespace.
 *
 * Minimum kernel: 5.9 (BPF links for XDP). Needs CAP_SYS_ADMIN and CAP_NET_ADMIN.
 * @internal
 */
export class DispatcherAnchor extends FdOwner {
  readonly #link: XdpLink;

  private constructor(netnsFd: number, link: XdpLink) {
    super(netnsFd, 'DispatcherAnchor private network namespace');
    this.#link = link;
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
    let link: XdpLink;
    try {
      link = XdpLink.attach(
        netnsFd,
        LOOPBACK_IFINDEX,
        progFd,
        XDP_FLAGS_SKB_MODE,
        'the program to the loopback of a private namespace (generic XDP), to keep it in the XDP dispatcher',
      );
    } catch (error) {
      native.closeFd(netnsFd);
      throw error;
    }
    return new DispatcherAnchor(netnsFd, link);
  }

  /** Detaches the program, then destroys the namespace. Idempotent. */
  override close(): void {
    this.#link.close();
    super.close();
  }
}
