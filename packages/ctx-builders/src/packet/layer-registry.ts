import { PacketError } from '../errors/packet-error.js';
import { arpCodec } from './arp.js';
import { ethernetCodec } from './ethernet.js';
import { describe } from './field-checks.js';
import { icmpCodec } from './icmp.js';
import { icmpv6Codec } from './icmpv6.js';
import { ipv4Codec } from './ipv4.js';
import { ipv6Codec } from './ipv6.js';
import { fragmentCodec } from './ipv6-fragment.js';
import { dstOptsCodec, hopOptsCodec } from './ipv6-options-header.js';
import { routingCodec } from './ipv6-routing.js';
import type { LayerKind } from './layer.js';
import type { LayerCodec } from './layer-codec.js';
import { paddingCodec } from './padding.js';
import { payloadCodec } from './payload.js';
import { tcpCodec } from './tcp.js';
import { udpCodec } from './udp.js';
import { vlanCodec } from './vlan.js';

/** Every layer codec by kind. */
export const layerCodecs: Readonly<Record<LayerKind, LayerCodec>> = {
  eth: ethernetCodec as LayerCodec,
  vlan: vlanCodec as LayerCodec,
  arp: arpCodec as LayerCodec,
  ipv4: ipv4Codec as LayerCodec,
  ipv6: ipv6Codec as LayerCodec,
  hopopts: hopOptsCodec as LayerCodec,
  routing: routingCodec as LayerCodec,
  fragment: fragmentCodec as LayerCodec,
  dstopts: dstOptsCodec as LayerCodec,
  udp: udpCodec as LayerCodec,
  tcp: tcpCodec as LayerCodec,
  icmp: icmpCodec as LayerCodec,
  icmpv6: icmpv6Codec as LayerCodec,
  payload: payloadCodec as LayerCodec,
  padding: paddingCodec as LayerCodec,
};

/** The kind names, in a stable order. */
export const layerKinds = Object.keys(layerCodecs) as LayerKind[];

/** The codec of `kind`; throws a `PacketError` naming `field` for an unknown kind. */
export function codecOf(kind: unknown, field: string): LayerCodec {
  const codec =
    typeof kind === 'string' && Object.hasOwn(layerCodecs, kind) ? layerCodecs[kind as LayerKind] : undefined;
  if (!codec) {
    throw new PacketError(
      field,
      'layer-kind',
      `unknown layer kind ${describe(kind)}; known: ${layerKinds.join(', ')}`,
    );
  }
  return codec;
}
