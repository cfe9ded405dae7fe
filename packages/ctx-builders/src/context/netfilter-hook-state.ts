import { decode, encodeInto, kernelInternalLayouts, programTypes, ValidationError } from '@progrun/uapi';
import { describe } from '../packet/field-checks.js';
import { atLeast, ctxBytes, ctxMinLength, ctxOptions, ctxUint } from './context-values.js';
import { checkTarget, type KernelTarget, requireKernel } from './kernel-target.js';
import type { NoRunOutputs, TestRunOutput } from './test-run-output.js';

/** NF_INET_* hooks. */
export const NfHook = { PRE_ROUTING: 0, LOCAL_IN: 1, FORWARD: 2, LOCAL_OUT: 3, POST_ROUTING: 4 } as const;
/** NFPROTO_* families. */
export const NfProto = { IPV4: 2, IPV6: 10 } as const;

/** The part of `struct nf_hook_state` a NETFILTER test run takes from userspace. */
export interface NfHookState {
  /** NF_INET_* hook. */
  hook: number;
  /** NFPROTO_IPV4 (2) or NFPROTO_IPV6 (10). */
  pf: number;
}

/** What {@link netfilterHookState} takes. */
export interface NetfilterOptions {
  /**
   * The packet: starting at the IP header for `local_out` (the default hook), with an Ethernet header
   * for every other hook.
   */
  packet: Uint8Array;
  /** Hook: a name or NF_INET_* number. Default `local_out`. */
  hook?: 'pre_routing' | 'local_in' | 'forward' | 'local_out' | 'post_routing' | number;
  /** Family: 'ipv4' / 'ipv6' or NFPROTO_*. Default 'ipv4'. */
  pf?: 'ipv4' | 'ipv6' | number;
  /** The kernel to check the rules for (default: the newest). */
  target?: KernelTarget;
}

const HOOKS: Readonly<Record<string, number>> = {
  pre_routing: NfHook.PRE_ROUTING,
  local_in: NfHook.LOCAL_IN,
  forward: NfHook.FORWARD,
  local_out: NfHook.LOCAL_OUT,
  post_routing: NfHook.POST_ROUTING,
};
const KNOWN = new Set(['packet', 'hook', 'pf', 'target']);
const IPHDR = 20;
const IPV6HDR = 40;
const ETH_HLEN = 14;
const STATE = kernelInternalLayouts.nf_hook_state;

/** Decodes the hook and family of `struct nf_hook_state` bytes. */
export function decodeNfHookState(bytes: Uint8Array): NfHookState {
  const { hook, pf } = decode(STATE, atLeast(bytes, STATE.size, 'bytes'));
  return { hook, pf };
}

/** A NETFILTER test-run input for `Program.run` (the run returns no context). */
export class NetfilterContext {
  /**
   * @param ctxIn bytes for ctx_in (`struct nf_hook_state` with only hook and pf set)
   * @param dataIn bytes for data_in
   * @param fields hook and family as sent
   */
  constructor(
    readonly ctxIn: Buffer,
    readonly dataIn: Uint8Array,
    readonly fields: Readonly<NfHookState>,
  ) {}

  /** A NETFILTER run returns neither packet nor context: only the verdict (NF_DROP 0, NF_ACCEPT 1). */
  decode(_result: TestRunOutput): NoRunOutputs {
    return {};
  }
}

/**
 * Builds a NETFILTER test-run input: a `struct nf_hook_state` with `hook` and `pf` (its device,
 * socket, netns and okfn pointers must be NULL) and the packet, checked as the kernel checks it: at
 * least an IPv4 header; for hooks other than LOCAL_OUT an Ethernet header whose type matches `pf`
 * (EINVAL) and is IPv4 or IPv6 (EPROTO otherwise), with a full IPv6 header for IPv6.
 *
 * `struct nf_hook_state` is kernel-internal: its layout is `kernelInternalLayouts.nf_hook_state` of
 * `@progrun/uapi`, compiled from a header written from the BTF of Debian's newest kernel line.
 *
 * Minimum kernel: 6.4 (NETFILTER test run).
 *
 * @throws ValidationError naming the field, the rule and the kernel's errno
 */
export function netfilterHookState(options: NetfilterOptions): NetfilterContext {
  const o = ctxOptions<NetfilterOptions>('nf_hook_state', options, KNOWN);
  const target = checkTarget(o.target);
  requireKernel(target, programTypes.NETFILTER.testRun.minKernel, 'nf_hook_state', 'a NETFILTER test run');
  const packet = ctxBytes('packet', o.packet);
  const hook =
    o.hook === undefined
      ? NfHook.LOCAL_OUT
      : typeof o.hook === 'string' && Object.hasOwn(HOOKS, o.hook)
        ? HOOKS[o.hook]!
        : ctxUint('nf_hook_state.hook', o.hook, 8);
  const pf =
    o.pf === undefined || o.pf === 'ipv4'
      ? NfProto.IPV4
      : o.pf === 'ipv6'
        ? NfProto.IPV6
        : ctxUint('nf_hook_state.pf', o.pf, 8);
  if (pf !== NfProto.IPV4 && pf !== NfProto.IPV6) {
    throw new ValidationError('nf_hook_state.pf', 'nf-proto', {
      message: `must be NFPROTO_IPV4 (2) or NFPROTO_IPV6 (10), got ${describe(o.pf)}`,
      kernelCode: 'EINVAL',
    });
  }
  ctxMinLength(packet.length, IPHDR, 'an IPv4 header');
  if (hook !== NfHook.LOCAL_OUT) {
    ctxMinLength(
      packet.length,
      ETH_HLEN + IPHDR,
      'an Ethernet and an IPv4 header (hooks other than local_out)',
    );
    const type = (packet[12]! << 8) | packet[13]!;
    if (type === 0x0800 && pf !== NfProto.IPV4) {
      throw new ValidationError('nf_hook_state.pf', 'pf-matches-packet', {
        message: 'an IPv4 frame needs pf NFPROTO_IPV4',
        kernelCode: 'EINVAL',
      });
    }
    if (type === 0x86dd) {
      ctxMinLength(packet.length, ETH_HLEN + IPV6HDR, 'an Ethernet and an IPv6 header');
      if (pf !== NfProto.IPV6) {
        throw new ValidationError('nf_hook_state.pf', 'pf-matches-packet', {
          message: 'an IPv6 frame needs pf NFPROTO_IPV6',
          kernelCode: 'EINVAL',
        });
      }
    }
    if (type !== 0x0800 && type !== 0x86dd) {
      throw new ValidationError('packet', 'ip-ethertype', {
        message: `EtherType 0x${type.toString(16).padStart(4, '0')} is neither IPv4 nor IPv6`,
        kernelCode: 'EPROTO',
      });
    }
  }
  const ctxIn = Buffer.alloc(STATE.size);
  encodeInto(STATE, { hook, pf }, ctxIn);
  return new NetfilterContext(ctxIn, packet, { hook, pf });
}
