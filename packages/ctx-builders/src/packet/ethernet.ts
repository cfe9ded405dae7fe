import { EtherType } from './ether-type.js';
import { checkUint } from './field-checks.js';
import { MAC, U } from './field-type.js';
import type { LayerCodec } from './layer-codec.js';
import { formatMac, type MacAddress, writeMac } from './mac-address.js';
import { etherTypeOfNext } from './next-header.js';

/** Ethernet II header fields. */
export interface EthernetFields {
  /** Destination MAC. Default `02:00:00:00:00:02`. */
  dst: MacAddress;
  /** Source MAC. Default `02:00:00:00:00:01`. */
  src: MacAddress;
  /** EtherType. Default: from the next layer (IPv4 0x0800, IPv6 0x86dd, ARP 0x0806, VLAN TPID, else 0x88b5). */
  type: number;
}

/** An Ethernet II header as given to the builder: every field optional. */
export interface EthernetLayer extends Partial<EthernetFields> {
  readonly kind: 'eth';
}

/** A decoded Ethernet II header: every field present, addresses as text. */
export interface DecodedEthernet extends EthernetFields {
  readonly kind: 'eth';
  dst: string;
  src: string;
}

const DEFAULT_DST = new Uint8Array([2, 0, 0, 0, 0, 2]);
const DEFAULT_SRC = new Uint8Array([2, 0, 0, 0, 0, 1]);

/** Codec of the Ethernet II header (14 bytes, no FCS). */
export const ethernetCodec: LayerCodec<EthernetLayer> = {
  kind: 'eth',
  fields: { dst: MAC, src: MAC, type: U(16, true) },
  length: () => 14,
  write(layer, buf, index, state) {
    const o = state.offsets[index]!;
    writeMac(buf, o, layer.dst ?? DEFAULT_DST, 'eth.dst');
    writeMac(buf, o + 6, layer.src ?? DEFAULT_SRC, 'eth.src');
    const type =
      layer.type === undefined ? etherTypeOfNext(index, state) : checkUint('eth.type', layer.type, 16);
    buf[o + 12] = type >> 8;
    buf[o + 13] = type & 0xff;
  },
  decode(bytes, offset, end) {
    if (end - offset < 14) return undefined;
    const type = (bytes[offset + 12]! << 8) | bytes[offset + 13]!;
    const layer: DecodedEthernet = {
      kind: 'eth',
      dst: formatMac(bytes, offset),
      src: formatMac(bytes, offset + 6),
      type,
    };
    return { layer, length: 14, next: kindOfEtherType(type) };
  },
};

/** The layer kind an EtherType announces, or undefined for an unknown type (decoded as payload). */
export function kindOfEtherType(type: number): string | undefined {
  switch (type) {
    case EtherType.IPV4:
      return 'ipv4';
    case EtherType.IPV6:
      return 'ipv6';
    case EtherType.ARP:
      return 'arp';
    case EtherType.VLAN:
    case EtherType.QINQ:
    case EtherType.VLAN_9100:
      return 'vlan';
    default:
      return undefined;
  }
}
