import { fieldOf, layouts, programTypes } from '@progrun/uapi';
import { formatIpv4 } from '../packet/ipv4-address.js';
import { formatIpv6 } from '../packet/ipv6-address.js';
import { atLeast, ctxBytes, ctxMinLength, ctxOptions, ctxUint } from './context-values.js';
import { checkTarget, type KernelTarget, requireKernel } from './kernel-target.js';
import type { TestRunOutput } from './test-run-output.js';

/** BPF_FLOW_DISSECTOR_F_* input flags. */
export const FlowDissectorFlag = {
  /** BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG: dissect the L4 header of a first fragment. */
  PARSE_1ST_FRAG: 1,
  /** BPF_FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL: stop at an IPv6 flow label. */
  STOP_AT_FLOW_LABEL: 2,
  /** BPF_FLOW_DISSECTOR_F_STOP_AT_ENCAP: stop at an encapsulation. */
  STOP_AT_ENCAP: 4,
} as const;

/** `struct bpf_flow_keys` as a FLOW_DISSECTOR test run returns it in data_out; addresses as text. */
export interface FlowKeys {
  nhoff: number;
  thoff: number;
  /** EtherType of the addresses: 0x0800 (IPv4) or 0x86dd (IPv6); 0 when none were found. */
  addr_proto: number;
  is_frag: number;
  is_first_frag: number;
  is_encap: number;
  ip_proto: number;
  /** EtherType of the network header, host order. */
  n_proto: number;
  /** Ports, host order. */
  sport: number;
  dport: number;
  /** Addresses per `addr_proto`: IPv4 or IPv6 text, or '' when `addr_proto` is neither. */
  src: string;
  dst: string;
  flags: number;
  /** IPv6 flow label, host order. */
  flow_label: number;
}

/** What {@link flowKeys} takes. */
export interface FlowKeysOptions {
  /** The frame the dissector parses, starting with its Ethernet header (at least 14 bytes). */
  packet: Uint8Array;
  /** BPF_FLOW_DISSECTOR_F_* flags, the only settable field (Linux 5.4+). Default 0. */
  flags?: number;
  /** The kernel to check the rules for (default: the newest). */
  target?: KernelTarget;
}

const L = layouts.bpf_flow_keys;
const off = (name: Parameters<typeof fieldOf<typeof L>>[1]) => fieldOf(L, name).offset;
const KNOWN = new Set(['packet', 'flags', 'target']);
const TEST_RUN = programTypes.FLOW_DISSECTOR.testRun;

/**
 * Decodes `struct bpf_flow_keys` bytes: a FLOW_DISSECTOR run's data_out (or its ctx).
 * @throws ValidationError when `bytes` is not a Uint8Array
 */
export function decodeFlowKeys(bytes: Uint8Array): FlowKeys {
  const b = Buffer.from(atLeast(bytes, L.size, 'dataOut'));
  const addrProto = b.readUInt16LE(off('addr_proto'));
  const v4 = addrProto === 0x0800;
  const v6 = addrProto === 0x86dd;
  const addr = (v4Field: 'ipv4_src' | 'ipv4_dst', v6Field: 'ipv6_src' | 'ipv6_dst') =>
    v4 ? formatIpv4(b, off(v4Field)) : v6 ? formatIpv6(b, off(v6Field)) : '';
  return {
    nhoff: b.readUInt16LE(off('nhoff')),
    thoff: b.readUInt16LE(off('thoff')),
    addr_proto: addrProto,
    is_frag: b[off('is_frag')]!,
    is_first_frag: b[off('is_first_frag')]!,
    is_encap: b[off('is_encap')]!,
    ip_proto: b[off('ip_proto')]!,
    n_proto: b.readUInt16BE(off('n_proto')),
    sport: b.readUInt16BE(off('sport')),
    dport: b.readUInt16BE(off('dport')),
    src: addr('ipv4_src', 'ipv6_src'),
    dst: addr('ipv4_dst', 'ipv6_dst'),
    flags: b.readUInt32LE(off('flags')),
    flow_label: b.readUInt32BE(off('flow_label')),
  };
}

/** What a FLOW_DISSECTOR run returns, decoded ({@link FlowKeysContext.decode}). */
export interface FlowKeysRun {
  /** The flow keys the program filled in (the run's data_out). */
  readonly flowKeys: FlowKeys | undefined;
}

/** A FLOW_DISSECTOR test-run input for `Program.run`: ctx_in carrying the flags, data_in the frame. */
export class FlowKeysContext {
  /**
   * @param ctxIn bytes for ctx_in (`struct bpf_flow_keys` with only `flags` set), or undefined when no flags
   * @param dataIn bytes for data_in
   * @param dissectorFlags the BPF_FLOW_DISSECTOR_F_* flags sent (not BPF_F_TEST_* run flags)
   */
  constructor(
    readonly ctxIn: Buffer | undefined,
    readonly dataIn: Uint8Array,
    readonly dissectorFlags: number,
  ) {}

  /** The input fields as sent. */
  get fields(): { readonly flags: number } {
    return { flags: this.dissectorFlags };
  }

  /** Decodes data_out, where the flow dissector test run returns the keys the program filled in. */
  decode(result: TestRunOutput): FlowKeysRun {
    return { flowKeys: result.dataOut && decodeFlowKeys(result.dataOut) };
  }
}

/**
 * Builds a FLOW_DISSECTOR test-run input. The kernel takes only `flags` from ctx_in (every other byte
 * must be 0) and returns the dissected `struct bpf_flow_keys` in data_out. Without flags no ctx_in is
 * sent, which every kernel with flow dissector test runs (4.20) accepts.
 *
 * Minimum kernel: 4.20 (flow dissector test run); 5.4 for a ctx_in with flags.
 *
 * @throws ValidationError for a packet shorter than 14 bytes, or flags on a target older than 5.4
 */
export function flowKeys(options: FlowKeysOptions): FlowKeysContext {
  const o = ctxOptions<FlowKeysOptions>('bpf_flow_keys', options, KNOWN);
  const target = checkTarget(o.target);
  requireKernel(target, TEST_RUN.minKernel, 'bpf_flow_keys', 'a FLOW_DISSECTOR test run');
  const packet = ctxBytes('packet', o.packet);
  ctxMinLength(packet.length, 14, 'an Ethernet header');
  const flags = o.flags === undefined ? 0 : ctxUint('bpf_flow_keys.flags', o.flags, 32);
  if (flags === 0) return new FlowKeysContext(undefined, packet, 0);
  requireKernel(
    target,
    TEST_RUN.context.ctxInSince,
    'bpf_flow_keys.flags',
    'a FLOW_DISSECTOR ctx_in with flags',
  );
  const ctxIn = Buffer.alloc(L.size);
  ctxIn.writeUInt32LE(flags, off('flags'));
  return new FlowKeysContext(ctxIn, packet, flags);
}
