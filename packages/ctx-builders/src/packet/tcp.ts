import { PacketError } from '../errors/packet-error.js';
import { finishChecksum } from './checksum.js';
import { checkUint, describe } from './field-checks.js';
import { U } from './field-type.js';
import { l4ChecksumCheck } from './l4-checksum-check.js';
import type { LayerCodec } from './layer-codec.js';
import { encodePseudoHeaderSum, sumWithoutChecksum } from './pseudo-header.js';
import { decodeTcpOptions, encodeTcpOptions, type TcpOption } from './tcp-options.js';

/** TCP header fields (RFC 9293). */
export interface TcpFields {
  /** Source port. Default 49152. */
  sport: number;
  /** Destination port. Default 80. */
  dport: number;
  /** Sequence number. Default 0. */
  seq: number;
  /** Acknowledgment number. Default 0. */
  ack: number;
  /** Header length in 32-bit words. Default: computed from the options. */
  dataOffset: number;
  /** The 3 reserved bits. Default 0. */
  reserved: number;
  /**
   * Flags as letters: F FIN, S SYN, R RST, P PSH, A ACK, U URG, E ECE, C CWR, N AE (the former NS bit).
   * The builder also accepts a number (bit 0 FIN ... bit 8 AE). Decoded in the order `FSRPAUECN`, `''`
   * when none. Default `S`.
   */
  flags: string;
  /** Window. Default 65535. */
  window: number;
  /** Checksum over the IP pseudo-header, header and data. Default: computed. */
  checksum: number;
  /** Urgent pointer. Default 0. */
  urgent: number;
  /** Options (see {@link TcpOption}) or raw option bytes; padded to 4 bytes. Default none. */
  options: readonly TcpOption[] | Uint8Array;
}

/** A TCP header as given to the builder: every field optional; `flags` may be a number. */
export interface TcpLayer extends Partial<Omit<TcpFields, 'flags'>> {
  readonly kind: 'tcp';
  flags?: string | number;
}

/** A decoded TCP header: options in their text forms (raw bytes when malformed). */
export interface DecodedTcp extends TcpFields {
  readonly kind: 'tcp';
  options: string[] | Uint8Array;
}

const FLAG_LETTERS = 'FSRPAUECN';

/** Parses TCP flags given as letters (`SA`, `FPA`, `0` or `''` for none) or as a 9-bit number. */
export function parseTcpFlags(value: unknown): number {
  if (typeof value === 'number') return checkUint('tcp.flags', value, 9);
  if (typeof value === 'string') {
    if (value === '0') return 0;
    let flags = 0;
    for (const c of value.toUpperCase()) {
      const bit = FLAG_LETTERS.indexOf(c);
      if (bit < 0) {
        throw new PacketError(
          'tcp.flags',
          'tcp-flags',
          `unknown flag ${describe(c)}; use letters of FSRPAUECN`,
        );
      }
      flags |= 1 << bit;
    }
    return flags;
  }
  throw new PacketError(
    'tcp.flags',
    'tcp-flags',
    `expected letters like SA or a number 0..511, got ${describe(value)}`,
  );
}

/** Letters of the TCP flags set in `flags`, in the order `FSRPAUECN`. */
export function formatTcpFlags(flags: number): string {
  let out = '';
  for (let bit = 0; bit < 9; bit++) if (flags & (1 << bit)) out += FLAG_LETTERS[bit];
  return out;
}

const SYN = 0x02;

/** Codec of the TCP header (20 to 60 bytes, IP protocol 6). */
export const tcpCodec: LayerCodec<TcpLayer> = {
  kind: 'tcp',
  fields: {
    sport: U(16),
    dport: U(16),
    seq: U(32),
    ack: U(32),
    dataOffset: U(4),
    reserved: U(3),
    flags: { type: 'tcp-flags' },
    window: U(16),
    checksum: U(16, true),
    urgent: U(16),
    options: { type: 'tcp-options' },
  },
  ipProtocol: 6,
  length(layer, index, state) {
    if (layer.options === undefined) return 20;
    const bytes = encodeTcpOptions(layer.options);
    state.scratch[index] = bytes;
    return 20 + bytes.length;
  },
  write(layer, buf, index, state) {
    const o = state.offsets[index]!;
    const hl = state.lengths[index]!;
    const sport = layer.sport === undefined ? 49152 : checkUint('tcp.sport', layer.sport, 16);
    const dport = layer.dport === undefined ? 80 : checkUint('tcp.dport', layer.dport, 16);
    const seq = layer.seq === undefined ? 0 : checkUint('tcp.seq', layer.seq, 32);
    const ack = layer.ack === undefined ? 0 : checkUint('tcp.ack', layer.ack, 32);
    const doff = layer.dataOffset === undefined ? hl >> 2 : checkUint('tcp.dataOffset', layer.dataOffset, 4);
    const reserved = layer.reserved === undefined ? 0 : checkUint('tcp.reserved', layer.reserved, 3);
    const flags = layer.flags === undefined ? SYN : parseTcpFlags(layer.flags);
    const window = layer.window === undefined ? 65535 : checkUint('tcp.window', layer.window, 16);
    const checksum = layer.checksum === undefined ? 0 : checkUint('tcp.checksum', layer.checksum, 16);
    const urgent = layer.urgent === undefined ? 0 : checkUint('tcp.urgent', layer.urgent, 16);
    buf[o] = sport >> 8;
    buf[o + 1] = sport & 0xff;
    buf[o + 2] = dport >> 8;
    buf[o + 3] = dport & 0xff;
    buf[o + 4] = seq >>> 24;
    buf[o + 5] = (seq >>> 16) & 0xff;
    buf[o + 6] = (seq >>> 8) & 0xff;
    buf[o + 7] = seq & 0xff;
    buf[o + 8] = ack >>> 24;
    buf[o + 9] = (ack >>> 16) & 0xff;
    buf[o + 10] = (ack >>> 8) & 0xff;
    buf[o + 11] = ack & 0xff;
    buf[o + 12] = (doff << 4) | (reserved << 1) | (flags >> 8);
    buf[o + 13] = flags & 0xff;
    buf[o + 14] = window >> 8;
    buf[o + 15] = window & 0xff;
    buf[o + 16] = checksum >> 8;
    buf[o + 17] = checksum & 0xff;
    buf[o + 18] = urgent >> 8;
    buf[o + 19] = urgent & 0xff;
    if (hl > 20) buf.set(state.scratch[index] as Uint8Array, o + 20);
  },
  finish(layer, buf, index, state) {
    if (layer.checksum !== undefined) return;
    const o = state.offsets[index]!;
    const end = state.contentEnd;
    const sum = finishChecksum(
      sumWithoutChecksum(buf, o, end, o + 16, encodePseudoHeaderSum(buf, index, state, 6, end - o)),
    );
    buf[o + 16] = sum >> 8;
    buf[o + 17] = sum & 0xff;
  },
  decode(bytes, offset, end, state) {
    const avail = end - offset;
    if (avail < 20) return undefined;
    const doff = bytes[offset + 12]! >> 4;
    const hl = doff * 4;
    if (doff < 5 || hl > avail) return undefined;
    const layer: DecodedTcp = {
      kind: 'tcp',
      sport: (bytes[offset]! << 8) | bytes[offset + 1]!,
      dport: (bytes[offset + 2]! << 8) | bytes[offset + 3]!,
      seq:
        ((bytes[offset + 4]! << 24) |
          (bytes[offset + 5]! << 16) |
          (bytes[offset + 6]! << 8) |
          bytes[offset + 7]!) >>>
        0,
      ack:
        ((bytes[offset + 8]! << 24) |
          (bytes[offset + 9]! << 16) |
          (bytes[offset + 10]! << 8) |
          bytes[offset + 11]!) >>>
        0,
      dataOffset: doff,
      reserved: (bytes[offset + 12]! >> 1) & 7,
      flags: formatTcpFlags(((bytes[offset + 12]! & 1) << 8) | bytes[offset + 13]!),
      window: (bytes[offset + 14]! << 8) | bytes[offset + 15]!,
      checksum: (bytes[offset + 16]! << 8) | bytes[offset + 17]!,
      urgent: (bytes[offset + 18]! << 8) | bytes[offset + 19]!,
      options: hl > 20 ? decodeTcpOptions(bytes.subarray(offset + 20, offset + hl)) : [],
    };
    const checks = [
      l4ChecksumCheck(`${state.path('tcp')}.checksum`, bytes, offset, end, 16, 6, state, { pseudo: true }),
    ];
    return { layer, length: hl, next: undefined, checks };
  },
};
