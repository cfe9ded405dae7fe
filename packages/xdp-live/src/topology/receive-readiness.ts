import { kernelOlderThan } from '@progrun/syscall';
import { objectArgument } from '../object-argument.js';
import { type DeviceRef, describeDevice, deviceArgument, inNetnsOf, ipNetnsArgs } from './device-ref.js';
import { runCommand } from './run-command.js';

/** The kernel from which GRO on a veth's peer makes the veth accept XDP frames (veth_xdp_xmit). @internal */
export const VETH_GRO_RECEIVE_SINCE = '5.13';

/** Whether frames sent out of a device by XDP_TX/XDP_REDIRECT (ndo_xdp_xmit) can arrive somewhere. */
export interface ReceiveReadiness {
  /** true: they can; false: they cannot (`reason` says why); undefined: this driver cannot be judged. */
  readonly ready: boolean | undefined;
  readonly reason: string;
}

/** Options of {@link checkXdpReceive}. */
export interface CheckXdpReceiveOptions {
  /** The veth's peer, when it lives in another namespace (it is found by itself in the same one). */
  readonly peer?: DeviceRef;
  /** Length of the longest frame to be sent, to check against the peer's MTU. */
  readonly frameLength?: number;
  readonly signal?: AbortSignal;
}

interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  link_type?: string;
  link_index?: number;
  link_netnsid?: number;
  linkinfo?: { info_kind?: string };
  xdp?: { mode?: number; prog?: { id?: number } };
}

async function showLink(device: DeviceRef, signal?: AbortSignal): Promise<IpLink> {
  const json = await runCommand(
    'ip',
    [...ipNetnsArgs(device), '-d', '-j', 'link', 'show', 'dev', device.name],
    {
      purpose: `inspect ${describeDevice(device)}`,
      ...(signal ? { signal } : {}),
    },
  );
  return (JSON.parse(json) as IpLink[])[0] as IpLink;
}

async function groEnabled(device: DeviceRef, signal?: AbortSignal): Promise<boolean> {
  const [command, args] = inNetnsOf(device, 'ethtool', ['-k', device.name]);
  const text = await runCommand(command, args, {
    purpose: `read offloads of ${describeDevice(device)}`,
    ...(signal ? { signal } : {}),
  }).catch(() => '');
  return /^generic-receive-offload:\s+on/m.test(text);
}

// veth_xdp_xmit accepts a frame up to the peer's MTU plus its link-layer header and one VLAN tag.
const VETH_L2_ALLOWANCE = 14 + 4;

/**
 * Judges whether frames that XDP_TX/XDP_REDIRECT send out of `transmit` can arrive: the failure is
 * silent otherwise (the test run returns 0; only the `xdp:*` tracepoints and the driver's
 * `xdp_xmit_errors` show it). For a veth, the peer must be up and have an XDP program or GRO enabled
 * (else it refuses XDP frames), and the frame must fit the peer's MTU. `lo` never accepts XDP
 * frames. Other drivers are not judged (`ready: undefined`).
 *
 * Needs CAP_NET_ADMIN for namespaced devices. Before Linux 5.13 GRO is no receive path: only an XDP program
 * on the peer makes it ready.
 * @throws {CommandError} when a device does not exist.
 */
export async function checkXdpReceive(
  transmit: DeviceRef,
  options: CheckXdpReceiveOptions = {},
): Promise<ReceiveReadiness> {
  deviceArgument('transmit', transmit);
  const { signal } = objectArgument('options', options, 'an options object');
  const link = await showLink(transmit, signal);
  const name = describeDevice(transmit);
  if (link.link_type === 'loopback') {
    return {
      ready: false,
      reason: `${name} is a loopback device: it has no ndo_xdp_xmit, every frame is dropped`,
    };
  }
  if (!link.flags.includes('UP')) return { ready: false, reason: `${name} is down` };
  const kind = link.linkinfo?.info_kind;
  if (kind !== 'veth') {
    return {
      ready: undefined,
      reason: `${name} is a ${kind ?? 'physical'} device: whether its driver implements ndo_xdp_xmit is not checked`,
    };
  }
  let peerRef = options.peer;
  if (peerRef === undefined) {
    if (link.link_netnsid !== undefined) {
      return {
        ready: undefined,
        reason: `the peer of ${name} is in another network namespace: pass it as peer`,
      };
    }
    const json = await runCommand('ip', [...ipNetnsArgs(transmit), '-j', 'link', 'show'], {
      purpose: `find the peer of ${name}`,
      ...(signal ? { signal } : {}),
    });
    const peer = (JSON.parse(json) as IpLink[]).find((candidate) => candidate.ifindex === link.link_index);
    if (peer === undefined) return { ready: undefined, reason: `the peer of ${name} was not found` };
    peerRef =
      transmit.netns === undefined ? { name: peer.ifname } : { netns: transmit.netns, name: peer.ifname };
  }
  const peer = await showLink(peerRef, signal);
  const peerName = describeDevice(peerRef);
  if (!peer.flags.includes('UP')) {
    return {
      ready: false,
      reason: `veth peer ${peerName} is down: the veth refuses every XDP frame`,
    };
  }
  const maxFrame = peer.mtu + VETH_L2_ALLOWANCE;
  if (options.frameLength !== undefined && options.frameLength > maxFrame) {
    return {
      ready: false,
      reason: `frames of ${options.frameLength} bytes exceed what veth peer ${peerName} accepts (MTU ${peer.mtu} + ${VETH_L2_ALLOWANCE})`,
    };
  }
  if (peer.xdp?.prog !== undefined)
    return { ready: true, reason: `veth peer ${peerName} has an XDP program` };
  // Before that kernel GRO, on by default on a veth, does not make it accept XDP frames: only an XDP
  // program on the peer does.
  if (kernelOlderThan(VETH_GRO_RECEIVE_SINCE)) {
    return {
      ready: false,
      reason:
        `veth peer ${peerName} has neither an XDP program nor GRO as a receive path (GRO is one only ` +
        `since Linux ${VETH_GRO_RECEIVE_SINCE}), so the veth refuses every XDP frame (ENXIO from ` +
        'veth_xdp_xmit) while the run still succeeds; attach an XDP program to it',
    };
  }
  if (await groEnabled(peerRef, signal))
    return { ready: true, reason: `veth peer ${peerName} has GRO enabled` };
  return {
    ready: false,
    reason:
      `veth peer ${peerName} has neither an XDP program nor GRO enabled, so the veth refuses every XDP frame ` +
      '(EOPNOTSUPP at the redirect since Linux 6.3, ENXIO from veth_xdp_xmit before) while the run still ' +
      `succeeds; attach an XDP program to it or run \`ethtool -K ${peerRef.name} gro on\``,
  };
}
