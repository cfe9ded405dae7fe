import { ipv4PseudoHeaderSum, ipv6PseudoHeaderSum, onesComplementAdd } from './checksum.js';
import { routingFinalDestination } from './ipv6-routing.js';
import type { DecodeState, EncodeState } from './layer-codec.js';

/**
 * Pseudo-header partial sum for the L4 layer at `index` of a packet being encoded: from the nearest IPv4
 * or IPv6 header before it (with a routing header's final destination). 0 when there is no IP header.
 */
export function encodePseudoHeaderSum(
  buf: Uint8Array,
  index: number,
  state: EncodeState,
  protocol: number,
  length: number,
): number {
  let dstOffset = -1;
  for (let i = index - 1; i >= 0; i--) {
    const kind = state.kinds[i];
    const o = state.offsets[i]!;
    if (kind === 'routing' && dstOffset < 0) dstOffset = routingFinalDestination(buf, o, state.lengths[i]!);
    else if (kind === 'ipv4') return ipv4PseudoHeaderSum(buf, o + 12, o + 16, protocol, length);
    else if (kind === 'ipv6')
      return ipv6PseudoHeaderSum(buf, o + 8, buf, dstOffset >= 0 ? dstOffset : o + 24, protocol, length);
  }
  return 0;
}

/** Pseudo-header partial sum from the innermost network header of a packet being decoded. */
export function decodePseudoHeaderSum(state: DecodeState, protocol: number, length: number): number {
  const n = state.network;
  if (!n) return 0;
  if (n.version === 4) return ipv4PseudoHeaderSum(state.bytes, n.srcOffset, n.dstOffset, protocol, length);
  return ipv6PseudoHeaderSum(state.bytes, n.srcOffset, n.dst, n.dstOffset, protocol, length);
}

/**
 * One's-complement sum of an L4 segment `[start, end)` skipping its 2-byte checksum field at
 * `checksumOffset`, plus `partial`: the checksum the segment should carry is `finishChecksum` of it.
 */
export function sumWithoutChecksum(
  bytes: Uint8Array,
  start: number,
  end: number,
  checksumOffset: number,
  partial: number,
): number {
  const s = onesComplementAdd(bytes, start, Math.min(checksumOffset, end), partial);
  return checksumOffset + 2 < end ? onesComplementAdd(bytes, checksumOffset + 2, end, s) : s;
}
