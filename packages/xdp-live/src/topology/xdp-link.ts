import { BpfError, FdOwner } from '@progrun/syscall';
import { native } from '@progrun/syscall/native';

/** XDP_FLAGS_SKB_MODE: generic XDP, which every device (the loopback one included) supports. */
export const XDP_FLAGS_SKB_MODE = 1 << 1;
/** XDP_FLAGS_DRV_MODE: the driver's native XDP (veth has it). */
export const XDP_FLAGS_DRV_MODE = 1 << 2;

/**
 * An XDP program attached to a device through a BPF link (BPF_LINK_CREATE with BPF_XDP), the device
 * given by ifindex inside a network namespace. The attachment lasts while the link fd is open: close()
 * (or `using`) detaches the program, and a link collected while open is detached with a
 * `PROGRUN_FD_LEAK` warning ({@link FdOwner}).
 *
 * Minimum kernel: 5.9 (BPF links for XDP). Needs CAP_NET_ADMIN (and CAP_SYS_ADMIN to enter a namespace).
 * @internal
 */
export class XdpLink extends FdOwner {
  private constructor(fd: number, description: string) {
    super(fd, description);
  }

  /**
   * Attaches the program behind `progFd` to `ifindex` as seen from inside the namespace `netnsFd`
   * (-1: the caller's), in the mode of `xdpFlags`. `what` names the attachment in errors and warnings
   * ("the xdp-pass receive program to pr-xl-1a").
   * @throws {BpfError} from BPF_LINK_CREATE (EINVAL for a mode the device lacks, EBUSY when a program is
   *   attached without a link, ...), or EBADF/EINVAL from entering the namespace.
   */
  static attach(netnsFd: number, ifindex: number, progFd: number, xdpFlags: number, what: string): XdpLink {
    const fd = native.xdpLinkCreate(netnsFd, ifindex, progFd, xdpFlags);
    if (fd < 0) throw new BpfError({ errno: -fd, command: 'BPF_LINK_CREATE', hint: `attaching ${what}` });
    return new XdpLink(fd, `XDP link of ${what}`);
  }
}
