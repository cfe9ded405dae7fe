import { finishChecksum } from './checksum.js';
import type { DecodeState } from './layer-codec.js';
import type { PacketCheck } from './packet-check.js';
import { decodePseudoHeaderSum, sumWithoutChecksum } from './pseudo-header.js';

/**
 * Checks the checksum of a decoded L4 segment `[offset, end)` whose checksum field sits at
 * `offset + fieldOffset`. `pseudo` selects whether the IP pseudo-header takes part (not for ICMPv4);
 * `zeroMeansNone` is UDP over IPv4, where 0 means "no checksum".
 */
export function l4ChecksumCheck(
  field: string,
  bytes: Uint8Array,
  offset: number,
  end: number,
  fieldOffset: number,
  protocol: number,
  state: DecodeState,
  options: { pseudo: boolean; zeroMeansNone?: boolean; zeroBecomesOnes?: boolean },
): PacketCheck {
  const actual = (bytes[offset + fieldOffset]! << 8) | bytes[offset + fieldOffset + 1]!;
  const net = state.network;
  if (options.pseudo && !net)
    return { field, status: 'unverified', actual, note: 'no IP header to take the pseudo-header from' };
  if (net?.fragmented)
    return {
      field,
      status: 'unverified',
      actual,
      note: 'fragment: the checksum covers the reassembled datagram',
    };
  if (net?.truncated) return { field, status: 'unverified', actual, note: 'datagram truncated' };
  if (options.zeroMeansNone && net?.version === 4 && actual === 0) {
    return { field, status: 'unverified', actual, note: 'checksum 0: none computed by the sender' };
  }
  const partial = options.pseudo ? decodePseudoHeaderSum(state, protocol, end - offset) : 0;
  let expected = finishChecksum(sumWithoutChecksum(bytes, offset, end, offset + fieldOffset, partial));
  if (expected === 0 && options.zeroBecomesOnes) expected = 0xffff;
  // 0x0000 and 0xffff are the same one's-complement value; both verify.
  const valid =
    actual === expected ||
    (!options.zeroBecomesOnes &&
      ((actual === 0 && expected === 0xffff) || (actual === 0xffff && expected === 0)));
  return valid
    ? { field, status: 'valid', actual, expected }
    : { field, status: 'invalid', actual, expected };
}
