import { uapiConstants } from '../generated/constants.js';
import { TcAction, XdpAction } from '../generated/enums.js';
import type { VerdictEnumName } from './program-type-profile.js';

/**
 * CGROUP_SKB verdicts. The kernel names them nowhere: bit 0 of the return value allows the packet (egress
 * programs may set bit 1 to signal congestion).
 */
export const CgroupSkbVerdict = { DROP: 0, ALLOW: 1 } as const;

/** A set of verdict names: value to name, and whether the value is read as signed (TC_ACT_UNSPEC is -1). */
export interface VerdictEnum {
  /** What the names are, for messages: `enum xdp_action`, `TC_ACT_* (linux/pkt_cls.h)`. */
  readonly cName: string;
  readonly signed: boolean;
  readonly names: ReadonlyMap<number, string>;
}

function prefixed(values: Readonly<Record<string, number>>, prefix: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const [key, value] of Object.entries(values))
    if (!names.has(value)) names.set(value, `${prefix}${key}`);
  return names;
}

/** The members of an anonymous-to-us enum of linux/bpf.h, found through the constants' provenance. */
function enumConstants(origin: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const [name, constant] of Object.entries(uapiConstants)) {
    if (constant.origin === origin && typeof constant.value === 'number' && !names.has(constant.value)) {
      names.set(constant.value, name);
    }
  }
  return names;
}

/** Every verdict enum of {@link VerdictEnumName}, built from the generated UAPI values. */
export const verdictEnums: Readonly<Record<VerdictEnumName, VerdictEnum>> = {
  xdp_action: { cName: 'enum xdp_action', signed: false, names: prefixed(XdpAction, 'XDP_') },
  tc_action: { cName: 'TC_ACT_* (linux/pkt_cls.h)', signed: true, names: prefixed(TcAction, 'TC_ACT_') },
  sk_action: { cName: 'enum sk_action', signed: false, names: enumConstants('enum sk_action') },
  bpf_ret_code: { cName: 'enum bpf_ret_code', signed: false, names: enumConstants('enum bpf_ret_code') },
  cgroup_skb: {
    cName: 'CGROUP_SKB verdict',
    signed: false,
    names: new Map([
      [CgroupSkbVerdict.ALLOW, 'allow'],
      [CgroupSkbVerdict.DROP, 'drop'],
    ]),
  },
};
