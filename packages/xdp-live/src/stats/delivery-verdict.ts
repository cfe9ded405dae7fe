import { objectArgument } from '../object-argument.js';
import type { DeviceCounters } from './device-counters.js';
import type { FramesByAction } from './xdp-action.js';
import type { XdpEventCounts } from './xdp-event-counts.js';

/**
 * How the frames sent on by the program fared:
 * - `delivered`: as many arrived at the receive device as were sent toward it;
 * - `loss`: fewer arrived (or some were refused on the way); `causes` says where, as far as counters tell;
 * - `no-delivery`: none arrived although some were sent: typically a receiver that cannot take XDP frames;
 * - `surplus`: more arrived than were sent (other traffic on the device);
 * - `not-checked`: nothing contradicts delivery, but no receive device was measured, or none was sent on.
 */
export type DeliveryStatus = 'delivered' | 'loss' | 'no-delivery' | 'surplus' | 'not-checked';

/** One counted cause of missing frames. */
export interface LossCause {
  readonly cause: string;
  readonly frames: number;
}

/** The verdict on silent loss: injected N, sent on S, arrived M. */
export interface DeliveryVerdict {
  readonly status: DeliveryStatus;
  readonly injected: number;
  /** Frames the program sent toward a device (XDP_TX/XDP_REDIRECT), when known. */
  readonly expected: number | undefined;
  /** Frames counted at the receive device, when measured. */
  readonly arrived: number | undefined;
  /** expected - arrived, when both are known. */
  readonly lost: number | undefined;
  readonly causes: readonly LossCause[];
  readonly message: string;
}

/** What {@link deliveryVerdict} judges from. */
export interface DeliveryEvidence {
  readonly injected: number;
  readonly batchSize: number;
  readonly actions: FramesByAction | undefined;
  readonly xdp: XdpEventCounts | undefined;
  /** Counter changes of the device frames leave through, and of the one they should reach. */
  readonly transmit: DeviceCounters | undefined;
  readonly receive: DeviceCounters | undefined;
  readonly receiveName: string | undefined;
  /** Why the transmit device cannot deliver, when the pre-run check said so. */
  readonly notReadyReason: string | undefined;
}

function errnoList(byErrno: Readonly<Record<string, number>>): string {
  return Object.entries(byErrno)
    .map(([name, n]) => `${name} x${n}`)
    .join(', ');
}

function causesOf(evidence: DeliveryEvidence, lost: number | undefined): LossCause[] {
  const causes: LossCause[] = [];
  const { xdp, transmit, receive } = evidence;
  if (evidence.notReadyReason !== undefined && receive?.rxPackets === 0) {
    const seen = [
      xdp?.redirectErrors ? `xdp:xdp_redirect_err ${errnoList(xdp.redirectErrno)}` : '',
      xdp?.xmitDrops ? `xdp:xdp_devmap_xmit drops ${errnoList(xdp.xmitErrno)}` : '',
    ].filter(Boolean);
    const evidenceText = seen.length > 0 ? ` (seen as ${seen.join(', ')})` : '';
    return [{ cause: `${evidence.notReadyReason}${evidenceText}`, frames: lost ?? 0 }];
  }
  if (xdp && xdp.redirectErrors > 0) {
    causes.push({
      cause: `redirect refused (xdp:xdp_redirect_err: ${errnoList(xdp.redirectErrno)})`,
      frames: xdp.redirectErrors,
    });
  }
  let refused = 0;
  if (xdp && xdp.xmitDrops > 0) {
    // ndo_xdp_xmit taking only part of a bulk without an error: a veth's receive ring was full.
    const ring = (xdp.xmitErrno.partial ?? 0) > 0;
    refused = xdp.xmitDrops;
    causes.push({
      cause:
        `ndo_xdp_xmit refused frames (xdp:xdp_devmap_xmit drops: ${errnoList(xdp.xmitErrno)})` +
        (ring ? `: the receive ring overflowed (batches of ${evidence.batchSize} outran the receiver)` : ''),
      frames: xdp.xmitDrops,
    });
  } else if (transmit?.xdpXmitErrors) {
    refused = transmit.xdpXmitErrors;
    causes.push({
      cause: `the transmit device counted xdp_xmit_errors (its peer's receive ring was full: batches of ${evidence.batchSize})`,
      frames: transmit.xdpXmitErrors,
    });
  }
  // A veth counts the frames its peer's ndo_xdp_xmit refused as its own rx_dropped: count them once.
  const dropped = (receive?.rxDropped ?? 0) - refused;
  if (dropped > 0) causes.push({ cause: 'the receive device dropped frames (rx_dropped)', frames: dropped });
  if (evidence.notReadyReason) causes.push({ cause: evidence.notReadyReason, frames: 0 });
  return causes;
}

/**
 * Judges whether frames went missing without an error: a live-frame run returns 0 even when nothing it
 * sent arrives. Expected frames are those the program sent toward a device (XDP_TX/XDP_REDIRECT, from the
 * verdict preview or the xdp:* events); arrived ones are the receive device's rx_packets change.
 */
export function deliveryVerdict(evidence: DeliveryEvidence): DeliveryVerdict {
  objectArgument('evidence', evidence, 'an object of delivery evidence');
  const { injected, actions, xdp, receive } = evidence;
  const expected =
    actions !== undefined
      ? actions.tx + actions.redirect
      : xdp !== undefined
        ? (xdp.redirected ?? xdp.xmitSent + xdp.xmitDrops) + xdp.redirectErrors
        : undefined;
  const sentOn = expected ?? injected;
  const causes = causesOf(evidence, receive ? sentOn - receive.rxPackets : undefined);
  const base = { injected, expected, causes };
  const where = evidence.receiveName ?? 'the receive device';

  if (expected === 0) {
    return {
      ...base,
      status: 'not-checked',
      arrived: receive?.rxPackets,
      lost: undefined,
      message: `the program sent none of the ${injected} frames on (no XDP_TX/XDP_REDIRECT verdicts)`,
    };
  }
  if (receive !== undefined) {
    const arrived = receive.rxPackets;
    const sent = sentOn;
    const lost = sent - arrived;
    if (lost === 0) {
      return {
        ...base,
        status: 'delivered',
        arrived,
        lost,
        message: `all ${sent} frames sent on arrived at ${where}`,
      };
    }
    if (lost < 0) {
      return {
        ...base,
        status: 'surplus',
        arrived,
        lost,
        message: `${arrived} frames arrived at ${where} but only ${sent} were sent on: other traffic on the device`,
      };
    }
    const explained = causes.reduce((sum, cause) => sum + cause.frames, 0);
    const why =
      causes.length > 0
        ? `; ${causes.map((c) => `${c.cause}${c.frames ? ` (${c.frames})` : ''}`).join('; ')}`
        : '';
    const unexplained = lost > explained ? `; ${lost - explained} of them unexplained by any counter` : '';
    return {
      ...base,
      status: arrived === 0 ? 'no-delivery' : 'loss',
      arrived,
      lost,
      message: `${sent} frames sent on, ${arrived} arrived at ${where}: ${lost} lost silently${why}${unexplained}`,
    };
  }
  if (xdp !== undefined && (xdp.redirectErrors > 0 || xdp.xmitDrops > 0)) {
    const lost = xdp.redirectErrors + xdp.xmitDrops;
    const none = xdp.xmitSent === 0;
    return {
      ...base,
      status: none ? 'no-delivery' : 'loss',
      arrived: undefined,
      lost,
      message: `${lost} of ${expected ?? injected} frames sent on were refused: ${causes.map((c) => c.cause).join('; ')}`,
    };
  }
  if (evidence.notReadyReason !== undefined) {
    return {
      ...base,
      status: 'no-delivery',
      arrived: undefined,
      lost: undefined,
      message: `frames were sent on but cannot arrive: ${evidence.notReadyReason}`,
    };
  }
  return {
    ...base,
    status: 'not-checked',
    arrived: undefined,
    lost: undefined,
    message:
      xdp !== undefined
        ? `${xdp.xmitSent} frames were accepted by ndo_xdp_xmit; arrival not measured (no receive device given)`
        : 'arrival not measured (no receive device given, no xdp events counted)',
  };
}
