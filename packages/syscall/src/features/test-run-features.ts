import {
  BPF_F_SLEEPABLE,
  BpfAttachType,
  BpfProgType,
  type BpfProgTypeName,
  encode,
  layoutFor,
} from '@progrun/uapi';
import type { ProgTestRunAttr } from '../commands/prog-test-run.js';
import { enumValue } from '../enum-value.js';
import { ValidationError } from '../errors/validation-error.js';
import type { ProgTypeInput } from '../program.js';
import { TEST_RUN_SINCE } from '../test-run-support.js';
import { vmlinuxBtfType } from '../vmlinux-btf.js';
import { Feature, type ProbeOutcome, unsupported } from './feature.js';
import {
  ipv4Header,
  type ProbeProgramSpec,
  probePacket,
  probeRun,
  supportedUnlessRefused,
  withProbeProgram,
} from './probe-program.js';

/**
 * The program types whose test run is probed: those the kernel documentation lists as runnable
 * (Documentation/bpf/bpf_prog_run.rst) plus TRACING, NETFILTER and SOCK_OPS, which it omits.
 */
export const TEST_RUN_PROBED_TYPES = [
  'SOCKET_FILTER',
  'SCHED_CLS',
  'SCHED_ACT',
  'XDP',
  'SK_LOOKUP',
  'CGROUP_SKB',
  'LWT_IN',
  'LWT_OUT',
  'LWT_XMIT',
  'LWT_SEG6LOCAL',
  'FLOW_DISSECTOR',
  'STRUCT_OPS',
  'RAW_TRACEPOINT',
  'SYSCALL',
  'TRACING',
  'NETFILTER',
  'SOCK_OPS',
] as const satisfies readonly BpfProgTypeName[];

/** A program type whose test run can be probed. */
export type ProbedTestRunType = (typeof TEST_RUN_PROBED_TYPES)[number];

/** How to load and run the smallest program of a type. */
interface Recipe {
  /** The program: return value, attach type, BTF target. Evaluated lazily (BTF lookups). */
  readonly program: () => Omit<ProbeProgramSpec, 'type'>;
  readonly run: Omit<ProgTestRunAttr, 'progFd'>;
}

const packet = { dataIn: probePacket() };
const AF_INET = 2;
const IPPROTO_TCP = 6;

/** The attach target of a BTF-attached probe, or an Unsupported when the kernel's BTF lacks it. */
function btfTarget(kind: 'func' | 'struct', name: string): number {
  const type = vmlinuxBtfType(kind, name);
  if (type === undefined) throw new MissingTarget(`the kernel's BTF has no ${kind} '${name}'`);
  return type.id;
}

class MissingTarget extends Error {}

const RECIPES: Readonly<Record<ProbedTestRunType, Recipe>> = {
  SOCKET_FILTER: { program: () => ({ returns: 0 }), run: packet },
  SCHED_CLS: { program: () => ({ returns: 0 }), run: packet },
  SCHED_ACT: { program: () => ({ returns: 0 }), run: packet },
  XDP: { program: () => ({ returns: 2 }), run: packet },
  CGROUP_SKB: { program: () => ({ returns: 1 }), run: packet },
  LWT_IN: { program: () => ({ returns: 0 }), run: packet },
  LWT_OUT: { program: () => ({ returns: 0 }), run: packet },
  LWT_XMIT: { program: () => ({ returns: 0 }), run: packet },
  LWT_SEG6LOCAL: { program: () => ({ returns: 0 }), run: packet },
  FLOW_DISSECTOR: { program: () => ({ returns: 0 }), run: packet },
  SOCK_OPS: { program: () => ({ returns: 1 }), run: {} },
  // A context is required and data is refused; family and protocol must be real ones.
  SK_LOOKUP: {
    program: () => ({ returns: 1, expectedAttachType: BpfAttachType.SK_LOOKUP }),
    run: {
      ctxIn: encode(layoutFor('bpf_sk_lookup', '5.10'), {
        family: AF_INET,
        protocol: IPPROTO_TCP,
        remote_ip4: 0x0100000a,
        local_ip4: 0x0200000a,
        remote_port: 40000,
        local_port: 80,
      }),
    },
  },
  RAW_TRACEPOINT: { program: () => ({ returns: 0 }), run: {} },
  // SYSCALL programs must be sleepable.
  SYSCALL: { program: () => ({ returns: 0, flags: BPF_F_SLEEPABLE }), run: {} },
  // fentry on the function the kernel's tracing test run calls.
  TRACING: {
    program: () => ({
      returns: 0,
      expectedAttachType: BpfAttachType.TRACE_FENTRY,
      attachBtfId: btfTarget('func', 'bpf_fentry_test1'),
    }),
    run: {},
  },
  // The only struct_ops the test run accepts: bpf_dummy_ops, member 0 (test_1), one pointer argument.
  STRUCT_OPS: {
    program: () => ({ returns: 0, expectedAttachType: 0, attachBtfId: btfTarget('struct', 'bpf_dummy_ops') }),
    run: { ctxIn: new Uint8Array(8) },
  },
  // An IPv4 packet from its network header; NF_ACCEPT.
  NETFILTER: {
    program: () => ({ returns: 1, expectedAttachType: BpfAttachType.NETFILTER }),
    run: { dataIn: ipv4Header() },
  },
};

function probeTestRun(name: ProbedTestRunType): ProbeOutcome {
  const recipe = RECIPES[name];
  let spec: Omit<ProbeProgramSpec, 'type'>;
  try {
    spec = recipe.program();
  } catch (error) {
    if (error instanceof MissingTarget) return unsupported(error.message);
    throw error;
  }
  // ENOTSUPP: the type has no test run; EINVAL: this kernel's test run rejects even the minimal input.
  return withProbeProgram({ ...spec, type: BpfProgType[name] }, (program) =>
    supportedUnlessRefused(
      probeRun(program, recipe.run),
      ['ENOTSUPP', 'EOPNOTSUPP', 'EINVAL'],
      `BPF_PROG_TEST_RUN of BPF_PROG_TYPE_${name}`,
    ),
  );
}

/** The release whose mainline dropped LWT_SEG6LOCAL's test run (a 2024 crash fix, backported to stable). */
const LWT_SEG6LOCAL_REMOVED_IN = '6.12';

const features = new Map<ProbedTestRunType, Feature>();

/**
 * The feature "BPF_PROG_TEST_RUN runs programs of `type`", probed by loading the smallest program of the
 * type and running it with the smallest input the type takes. Unsupported when the kernel does not know
 * the type (EINVAL at load without a verifier log), or refuses the run with ENOTSUPP/EOPNOTSUPP/EINVAL.
 *
 * Minimum kernels (net/bpf/test_run.c history): 4.12 skb types and XDP, 4.18 LWT_SEG6LOCAL (removed in
 * 2024, also from stable kernels), 4.20 FLOW_DISSECTOR, 5.7 TRACING (fentry/fexit; only the kernel's
 * `bpf_fentry_test*`), 5.10 RAW_TRACEPOINT, 5.13 SK_LOOKUP, 5.14 SYSCALL, 5.17 STRUCT_OPS (bpf_dummy_ops
 * only), 6.4 NETFILTER; SOCK_OPS has no test run in any kernel.
 *
 * @throws {ValidationError} for a type that is not probed (see {@link TEST_RUN_PROBED_TYPES}).
 */
export function testRunFeature(type: ProgTypeInput): Feature {
  const value = enumValue('type', type, BpfProgType, 'BPF_PROG_TYPE_');
  const name = TEST_RUN_PROBED_TYPES.find((t) => BpfProgType[t] === value);
  if (name === undefined) {
    throw new ValidationError(
      'type',
      `a program type whose test run is probed (${TEST_RUN_PROBED_TYPES.join(', ')})`,
      type,
    );
  }
  const probed = name;
  let feature = features.get(probed);
  if (feature === undefined) {
    feature = new Feature(
      {
        id: `test_run:${probed}`,
        description: `BPF_PROG_TEST_RUN of BPF_PROG_TYPE_${probed} programs`,
        minKernel: TEST_RUN_SINCE[BpfProgType[probed]],
        removedIn: probed === 'LWT_SEG6LOCAL' ? LWT_SEG6LOCAL_REMOVED_IN : undefined,
      },
      () => probeTestRun(probed),
    );
    features.set(probed, feature);
  }
  return feature;
}
