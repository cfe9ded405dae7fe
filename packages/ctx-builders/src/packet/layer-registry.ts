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

const noFinish = () => {};

// Every codec object gets the same shape, so the encoder's property loads on them stay monomorphic.
function normalized(c: unknown): LayerCodec {
  const codec = c as unknown as LayerCodec;
  return {
    kind: codec.kind,
    fields: codec.fields,
    ipProtocol: codec.ipProtocol,
    length: codec.length,
    write: codec.write,
    finish: codec.finish ?? noFinish,
    etherType: codec.etherType,
    decode: codec.decode,
  };
}

/** Every layer codec by kind. */
export const layerCodecs: Readonly<Record<LayerKind, LayerCodec>> = {
  eth: normalized(ethernetCodec),
  vlan: normalized(vlanCodec),
  arp: normalized(arpCodec),
  ipv4: normalized(ipv4Codec),
  ipv6: normalized(ipv6Codec),
  hopopts: normalized(hopOptsCodec),
  routing: normalized(routingCodec),
  fragment: normalized(fragmentCodec),
  dstopts: normalized(dstOptsCodec),
  udp: normalized(udpCodec),
  tcp: normalized(tcpCodec),
  icmp: normalized(icmpCodec),
  icmpv6: normalized(icmpv6Codec),
  payload: normalized(payloadCodec),
  padding: normalized(paddingCodec),
};

/** The kind names, in a stable order. */
export const layerKinds = Object.keys(layerCodecs) as LayerKind[];

/** The codec of `kind`; throws a `PacketError` naming `field`.kind for an unknown kind. */
export function codecOf(kind: unknown, field: string): LayerCodec {
  if (typeof kind === 'string' && Object.hasOwn(layerCodecs, kind)) return layerCodecs[kind as LayerKind];
  throw new PacketError(
    `${field}.kind`,
    'layer-kind',
    `unknown layer kind ${describe(kind)}; known: ${layerKinds.join(', ')}`,
  );
}
