import { kindOfEtherType } from './ethernet.js';
import { checkBoolean, checkUint } from './field-checks.js';
import { BOOL, U } from './field-type.js';
import type { LayerCodec } from './layer-codec.js';
import { etherTypeOfNext } from './next-header.js';

/** 802.1Q VLAN tag fields (the 4 bytes after the TPID). */
export interface VlanFields {
  /** Priority code point, 0..7. Default 0. */
  pcp: number;
  /** Drop eligible indicator. Default false. */
  dei: boolean;
  /** VLAN identifier, 0..4095. Default 1. */
  vid: number;
  /** EtherType of what follows the tag. Default: from the next layer. */
  type: number;
  /**
   * Tag protocol identifier, written into the previous header's type field when that one is not given.
   * Default 0x8100, or 0x88a8 (802.1ad S-tag) when another tag follows (QinQ). In a decoded tag: the TPID
   * that announced it.
   */
  tpid: number;
}

/** An 802.1Q/802.1ad VLAN tag as given to the builder: every field optional. */
export interface VlanLayer extends Partial<VlanFields> {
  readonly kind: 'vlan';
}

/** A decoded VLAN tag. */
export interface DecodedVlan extends VlanFields {
  readonly kind: 'vlan';
}

/** Codec of the 802.1Q tag (4 bytes: TCI and inner EtherType; the TPID belongs to the previous header). */
export const vlanCodec: LayerCodec<VlanLayer> = {
  kind: 'vlan',
  fields: { pcp: U(3), dei: BOOL, vid: U(12), type: U(16, true), tpid: U(16, true) },
  length: () => 4,
  write(layer, buf, index, state) {
    const o = state.offsets[index]!;
    const pcp = layer.pcp === undefined ? 0 : checkUint('vlan.pcp', layer.pcp, 3);
    const dei = layer.dei === undefined ? false : checkBoolean('vlan.dei', layer.dei);
    const vid = layer.vid === undefined ? 1 : checkUint('vlan.vid', layer.vid, 12);
    if (layer.tpid !== undefined) checkUint('vlan.tpid', layer.tpid, 16);
    const tci = (pcp << 13) | (dei ? 0x1000 : 0) | vid;
    const type =
      layer.type === undefined ? etherTypeOfNext(index, state) : checkUint('vlan.type', layer.type, 16);
    buf[o] = tci >> 8;
    buf[o + 1] = tci & 0xff;
    buf[o + 2] = type >> 8;
    buf[o + 3] = type & 0xff;
  },
  decode(bytes, offset, end) {
    if (end - offset < 4 || offset < 2) return undefined;
    const tci = (bytes[offset]! << 8) | bytes[offset + 1]!;
    const type = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    const layer: DecodedVlan = {
      kind: 'vlan',
      pcp: tci >> 13,
      dei: (tci & 0x1000) !== 0,
      vid: tci & 0xfff,
      type,
      tpid: (bytes[offset - 2]! << 8) | bytes[offset - 1]!,
    };
    return { layer, length: 4, next: kindOfEtherType(type) };
  },
};
