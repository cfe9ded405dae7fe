import { BPF_F_SLEEPABLE, BPF_OK, SK_PASS } from '../generated/constants.js';
import { type BpfProgTypeName, TcAction, XdpAction } from '../generated/enums.js';
import type { ProgramTypeProfile, TestRunProfile } from './program-type-profile.js';
import { CgroupSkbVerdict } from './verdict-enums.js';

/** The test run of the skb program types (bpf_prog_test_run_skb): a packet in, the packet and `__sk_buff` out. */
function skbTestRun<const V extends string>(minKernel: V, packetStart: 'link' | 'network') {
  return {
    minKernel,
    data: 'required',
    packetStart,
    dataOut: 'packet',
    ctxOut: 'returned',
    context: { layout: { kind: 'uapi', struct: '__sk_buff' }, ctxInSince: '5.2', required: false },
  } as const satisfies TestRunProfile;
}

/** A packet program's probe: the smallest program returning `returns`, run on an Ethernet frame. */
const onFrame = (returns: number) => ({ returns, sends: 'ethernet-frame' }) as const;

/**
 * Every BPF program type, keyed by its UAPI name (`enum bpf_prog_type` without `BPF_PROG_TYPE_`): its other
 * names, how its return value reads, its BPF_PROG_TEST_RUN (minimum kernel, removal, what goes in and
 * comes out, its context) and the feature probe of that test run. The one place these per-type facts are
 * written: syscall's run planning, error diagnosis and feature probes, harness-vm's expectations,
 * ctx-builders' context rules and the CLI all read them from here.
 *
 * Sources: net/bpf/test_run.c and each type's `prog_ops` in the kernel's history, checked on real
 * kernels (5.10, 6.1, 6.12 guests and a 6.18 host).
 */
export const programTypes = {
  UNSPEC: { aliases: [] },
  SOCKET_FILTER: { aliases: ['socket'], testRun: skbTestRun('4.12', 'network'), probe: onFrame(0) },
  KPROBE: { aliases: ['kretprobe', 'uprobe', 'uretprobe', 'usdt'] },
  SCHED_CLS: {
    aliases: ['tc', 'classifier', 'tcx'],
    verdicts: 'tc_action',
    testRun: skbTestRun('4.12', 'link'),
    probe: onFrame(TcAction.OK),
  },
  SCHED_ACT: {
    aliases: ['action'],
    verdicts: 'tc_action',
    testRun: skbTestRun('4.12', 'link'),
    probe: onFrame(TcAction.OK),
  },
  TRACEPOINT: { aliases: ['tp'] },
  XDP: {
    aliases: [],
    verdicts: 'xdp_action',
    testRun: {
      minKernel: '4.12',
      data: 'required',
      packetStart: 'link',
      dataOut: 'packet',
      ctxOut: 'returned',
      context: {
        layout: { kind: 'uapi', struct: 'xdp_md' },
        ctxInSince: '5.15',
        required: false,
        metadataLimits: [
          { since: '5.15', max: 32, because: 'xdp_metalen_invalid(): at most 32 bytes' },
          {
            since: '6.8',
            max: 252,
            because: '2ebe81c81435 "net, xdp: Allow metadata > 32": up to skb_shared_info.meta_len (u8)',
          },
          {
            since: '6.19',
            max: 216,
            because:
              'e558cca21779 "bpf, test_run: Subtract size of xdp_frame from allowed metadata size": ' +
              'XDP_PACKET_HEADROOM (256) minus sizeof(struct xdp_frame) (40)',
            backportedTo: ['6.12', '6.18'],
          },
        ],
      },
    },
    probe: onFrame(XdpAction.PASS),
  },
  PERF_EVENT: { aliases: [] },
  CGROUP_SKB: {
    aliases: [],
    verdicts: 'cgroup_skb',
    testRun: skbTestRun('4.12', 'network'),
    probe: onFrame(CgroupSkbVerdict.ALLOW),
  },
  CGROUP_SOCK: { aliases: [] },
  LWT_IN: {
    aliases: [],
    verdicts: 'bpf_ret_code',
    testRun: skbTestRun('4.12', 'network'),
    probe: onFrame(BPF_OK),
  },
  LWT_OUT: {
    aliases: [],
    verdicts: 'bpf_ret_code',
    testRun: skbTestRun('4.12', 'network'),
    probe: onFrame(BPF_OK),
  },
  LWT_XMIT: {
    aliases: [],
    verdicts: 'bpf_ret_code',
    testRun: skbTestRun('4.12', 'network'),
    probe: onFrame(BPF_OK),
  },
  SOCK_OPS: {
    aliases: ['sockops'],
    probe: { returns: 1, sends: 'nothing' },
    note: 'no kernel has a test run for it (the kernel documentation does not list it); probed to keep that checked',
  },
  SK_SKB: { aliases: [], verdicts: 'sk_action' },
  CGROUP_DEVICE: { aliases: [] },
  SK_MSG: { aliases: [], verdicts: 'sk_action' },
  RAW_TRACEPOINT: {
    aliases: ['raw_tp'],
    // The arguments in ctx_in; nothing comes back but the return value.
    testRun: {
      minKernel: '5.10',
      data: 'refused',
      dataOut: 'none',
      ctxOut: 'none',
      context: { layout: { kind: 'uapi', struct: 'bpf_raw_tracepoint_args' }, required: false },
    },
    probe: { returns: 0, sends: 'nothing' },
  },
  CGROUP_SOCK_ADDR: { aliases: [] },
  LWT_SEG6LOCAL: {
    aliases: [],
    verdicts: 'bpf_ret_code',
    testRun: {
      ...skbTestRun('4.18', 'network'),
      removedIn: {
        version: '6.12',
        because: 'the test run crashed the kernel and was dropped (2024), in stable kernels too',
        backported: true,
      },
    },
    probe: onFrame(BPF_OK),
  },
  LIRC_MODE2: { aliases: [] },
  SK_REUSEPORT: { aliases: [], verdicts: 'sk_action' },
  FLOW_DISSECTOR: {
    aliases: [],
    verdicts: 'bpf_ret_code',
    testRun: {
      minKernel: '4.20',
      data: 'required',
      packetStart: 'link',
      dataOut: 'flow-keys',
      ctxOut: 'returned',
      context: { layout: { kind: 'uapi', struct: 'bpf_flow_keys' }, ctxInSince: '5.4', required: false },
      retvalConventions: [
        {
          since: '4.20',
          retval: 'is-bpf-ok',
          because: 'the test run reports what bpf_flow_dissect() returns: the bool `result == BPF_OK`',
        },
        {
          since: '6.1',
          retval: 'returned',
          because:
            '"bpf: flow_dissector: Add BPF_FLOW_DISSECTOR_CONTINUE retcode for bpf progs": bpf_flow_dissect() ' +
            "returns the program's verdict",
        },
      ],
    },
    probe: onFrame(BPF_OK),
  },
  CGROUP_SYSCTL: { aliases: [] },
  RAW_TRACEPOINT_WRITABLE: {
    aliases: ['raw_tp.w', 'raw_tracepoint.w'],
    note: 'no test run of its own (ENOTSUPP); attached to the bpf_test_finish tracepoint it sees the test runs of other programs',
  },
  CGROUP_SOCKOPT: { aliases: [] },
  TRACING: {
    aliases: ['fentry', 'fexit', 'fmod_ret', 'tp_btf', 'iter'],
    // bpf_prog_test_run_tracing checks flags and cpu only: data_in is not read.
    testRun: { minKernel: '5.7', data: 'ignored', dataOut: 'none', ctxOut: 'none' },
    probe: {
      returns: 0,
      expectedAttachType: 'TRACE_FENTRY',
      attachTo: { kind: 'func', name: 'bpf_fentry_test1' },
      sends: 'nothing',
    },
    note: "fentry/fexit test runs call only the kernel's own bpf_fentry_test* functions",
  },
  STRUCT_OPS: {
    aliases: [],
    testRun: {
      minKernel: '5.17',
      data: 'ignored',
      dataOut: 'none',
      ctxOut: 'none',
      context: { layout: { kind: 'u64-args' }, required: false },
    },
    // The only struct_ops a test run accepts: bpf_dummy_ops, member 0 (test_1), one pointer argument.
    probe: { returns: 0, attachTo: { kind: 'struct', name: 'bpf_dummy_ops' }, sends: 'one-u64-arg' },
    note: "only the operations of the kernel's bpf_dummy_ops have a test run",
  },
  EXT: { aliases: ['freplace'] },
  LSM: { aliases: [] },
  SK_LOOKUP: {
    aliases: [],
    verdicts: 'sk_action',
    testRun: {
      minKernel: '5.13',
      data: 'refused',
      dataOut: 'none',
      ctxOut: 'returned',
      context: { layout: { kind: 'uapi', struct: 'bpf_sk_lookup' }, required: true },
    },
    probe: { returns: SK_PASS, expectedAttachType: 'SK_LOOKUP', sends: 'sk-lookup-ctx' },
  },
  SYSCALL: {
    aliases: [],
    testRun: {
      minKernel: '5.14',
      data: 'refused',
      dataOut: 'none',
      ctxOut: 'written-back',
      context: { layout: { kind: 'program-defined' }, required: false },
    },
    // SYSCALL programs must be sleepable.
    probe: { returns: 0, loadFlags: BPF_F_SLEEPABLE, sends: 'nothing' },
  },
  NETFILTER: {
    aliases: [],
    testRun: {
      minKernel: '6.4',
      data: 'required',
      packetStart: 'network',
      dataOut: 'none',
      ctxOut: 'none',
      context: { layout: { kind: 'kernel-internal', struct: 'nf_hook_state' }, required: false },
    },
    // NF_ACCEPT (linux/netfilter.h, outside the generated headers) on an IPv4 packet at LOCAL_OUT.
    probe: { returns: 1, expectedAttachType: 'NETFILTER', sends: 'ipv4-packet' },
  },
} as const satisfies Record<BpfProgTypeName, ProgramTypeProfile>;
