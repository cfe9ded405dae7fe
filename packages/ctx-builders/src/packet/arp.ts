import { checkUint } from './field-checks.js';
import { IPV4, MAC, U } from './field-type.js';
import { formatIpv4, type Ipv4Address, writeIpv4 } from './ipv4-address.js';
import type { LayerCodec } from './layer-codec.js';
import { formatMac, type MacAddress, writeMac } from './mac-address.js';

/** ARP fields for Ethernet/IPv4 (RFC 826). */
export interface ArpFields {
  /** Hardware type. Default 1 (Ethernet). */
  htype: number;
  /** Protocol type. Default 0x0800 (IPv4). */
  ptype: number;
  /** Hardware address length. Default 6. */
  hlen: number;
  /** Protocol address length. Default 4. */
  plen: number;
  /** Operation: 1 request, 2 reply. Default 1. */
  op: number;
  /** Sender hardware address. Default: the enclosing Ethernet source, else `02:00:00:00:00:01`. */
  sha: MacAddress;
  /** Sender protocol address. Default `192.0.2.1`. */
  spa: Ipv4Address;
  /** Target hardware address. Default `00:00:00:00:00:00`. */
  tha: MacAddress;
  /** Target protocol address. Default `192.0.2.2`. */
  tpa: Ipv4Address;
}

/** An ARP message as given to the builder: every field optional. */
export interface ArpLayer extends Partial<ArpFields> {
  readonly kind: 'arp';
}

/** A decoded ARP message (Ethernet/IPv4 only; other ARP variants decode as payload). */
export interface DecodedArp extends ArpFields {
  readonly kind: 'arp';
  sha: string;
  spa: string;
  tha: string;
  tpa: string;
}

const DEFAULT_SHA = new Uint8Array([2, 0, 0, 0, 0, 1]);
const ZERO_MAC = new Uint8Array(6);
const DEFAULT_SPA = new Uint8Array([192, 0, 2, 1]);
const DEFAULT_TPA = new Uint8Array([192, 0, 2, 2]);

/** Codec of an Ethernet/IPv4 ARP message (28 bytes). */
export const arpCodec: LayerCodec<ArpLayer> = {
  kind: 'arp',
  fields: {
    htype: U(16),
    ptype: U(16, true),
    hlen: U(8),
    plen: U(8),
    op: U(16),
    sha: MAC,
    spa: IPV4,
    tha: MAC,
    tpa: IPV4,
  },
  length: () => 28,
  write(layer, buf, index, state) {
    const o = state.offsets[index]!;
    const htype = layer.htype === undefined ? 1 : checkUint('arp.htype', layer.htype, 16);
    const ptype = layer.ptype === undefined ? 0x0800 : checkUint('arp.ptype', layer.ptype, 16);
    const op = layer.op === undefined ? 1 : checkUint('arp.op', layer.op, 16);
    buf[o] = htype >> 8;
    buf[o + 1] = htype & 0xff;
    buf[o + 2] = ptype >> 8;
    buf[o + 3] = ptype & 0xff;
    buf[o + 4] = layer.hlen === undefined ? 6 : checkUint('arp.hlen', layer.hlen, 8);
    buf[o + 5] = layer.plen === undefined ? 4 : checkUint('arp.plen', layer.plen, 8);
    buf[o + 6] = op >> 8;
    buf[o + 7] = op & 0xff;
    let sha: unknown = layer.sha;
    if (sha === undefined) {
      // An ARP sender is usually the frame's sender: reuse the Ethernet source written before this layer.
      const prev = index > 0 && state.kinds[0] === 'eth' ? state.offsets[0]! + 6 : -1;
      sha = prev >= 0 ? buf.subarray(prev, prev + 6) : DEFAULT_SHA;
    }
    writeMac(buf, o + 8, sha, 'arp.sha');
    writeIpv4(buf, o + 14, layer.spa ?? DEFAULT_SPA, 'arp.spa');
    writeMac(buf, o + 18, layer.tha ?? ZERO_MAC, 'arp.tha');
    writeIpv4(buf, o + 24, layer.tpa ?? DEFAULT_TPA, 'arp.tpa');
  },
  decode(bytes, offset, end) {
    if (end - offset < 28 || bytes[offset + 4] !== 6 || bytes[offset + 5] !== 4) return undefined;
    const layer: DecodedArp = {
      kind: 'arp',
      htype: (bytes[offset]! << 8) | bytes[offset + 1]!,
      ptype: (bytes[offset + 2]! << 8) | bytes[offset + 3]!,
      hlen: 6,
      plen: 4,
      op: (bytes[offset + 6]! << 8) | bytes[offset + 7]!,
      sha: formatMac(bytes, offset + 8),
      spa: formatIpv4(bytes, offset + 14),
      tha: formatMac(bytes, offset + 18),
      tpa: formatIpv4(bytes, offset + 24),
    };
    return { layer, length: 28, next: undefined };
  },
};
