import { EtherType, IpProtocol } from './ether-type.js';
import type { EncodeState } from './layer-codec.js';

/**
 * The EtherType announcing the layer after `index`: what an Ethernet or VLAN header writes when its
 * `type` is not given. A VLAN tag followed by another tag is an S-tag (0x88a8) unless it names its `tpid`.
 */
export function etherTypeOfNext(index: number, state: EncodeState): number {
  const kind = index + 1 < state.count ? state.kinds[index + 1] : undefined;
  switch (kind) {
    case 'ipv4':
      return EtherType.IPV4;
    case 'ipv6':
      return EtherType.IPV6;
    case 'arp':
      return EtherType.ARP;
    case 'vlan': {
      const tpid = (state.layers[index + 1] as { tpid?: unknown }).tpid;
      if (typeof tpid === 'number') return tpid & 0xffff;
      return index + 2 < state.count && state.kinds[index + 2] === 'vlan' ? EtherType.QINQ : EtherType.VLAN;
    }
    default:
      return EtherType.EXPERIMENTAL;
  }
}

/** The IP protocol / IPv6 next-header number announcing the layer after `index`. */
export function ipProtocolOfNext(index: number, state: EncodeState): number {
  switch (index + 1 < state.count ? state.kinds[index + 1] : undefined) {
    case 'ipv4':
      return IpProtocol.IPIP;
    case 'ipv6':
      return IpProtocol.IPV6;
    case 'tcp':
      return IpProtocol.TCP;
    case 'udp':
      return IpProtocol.UDP;
    case 'icmp':
      return IpProtocol.ICMP;
    case 'icmpv6':
      return IpProtocol.ICMPV6;
    case 'hopopts':
      return IpProtocol.HOPOPTS;
    case 'routing':
      return IpProtocol.ROUTING;
    case 'fragment':
      return IpProtocol.FRAGMENT;
    case 'dstopts':
      return IpProtocol.DSTOPTS;
    case 'payload':
      return IpProtocol.EXPERIMENTAL;
    default:
      return IpProtocol.NO_NEXT_HEADER;
  }
}

/** The layer kind an IP protocol number announces, or undefined (decoded as payload). */
export function kindOfIpProtocol(protocol: number): string | undefined {
  switch (protocol) {
    case IpProtocol.IPIP:
      return 'ipv4';
    case IpProtocol.IPV6:
      return 'ipv6';
    case IpProtocol.TCP:
      return 'tcp';
    case IpProtocol.UDP:
      return 'udp';
    case IpProtocol.ICMP:
      return 'icmp';
    case IpProtocol.ICMPV6:
      return 'icmpv6';
    case IpProtocol.HOPOPTS:
      return 'hopopts';
    case IpProtocol.ROUTING:
      return 'routing';
    case IpProtocol.FRAGMENT:
      return 'fragment';
    case IpProtocol.DSTOPTS:
      return 'dstopts';
    default:
      return undefined;
  }
}
