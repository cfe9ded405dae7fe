import {
  BpfAttachType,
  BpfProgType,
  type BpfProgTypeName,
  encode,
  layoutFor,
  type ProbeRecipe,
  programTypeProfile,
  programTypeProfiles,
  programTypes,
  ValidationError,
} from '@progrun/uapi';
import type { ProgTestRunAttr } from '../commands/prog-test-run.js';
import { enumValue } from '../enum-value.js';
import type { ProgTypeInput } from '../program.js';
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

/** A program type whose test run is probed: a row of @progrun/uapi's `programTypes` with a probe recipe. */
export type ProbedTestRunType = {
  [K in BpfProgTypeName]: (typeof programTypes)[K] extends { readonly probe: ProbeRecipe } ? K : never;
}[BpfProgTypeName];

/**
 * The program types whose test run is probed (those of @progrun/uapi's program-type table with a probe
 * recipe): those the kernel documentation lists as runnable (Documentation/bpf/bpf_prog_run.rst) plus
 * TRACING, NETFILTER and SOCK_OPS, which it omits.
 */
export const TEST_RUN_PROBED_TYPES: readonly ProbedTestRunType[] = programTypeProfiles
  .filter((p) => p.probe !== undefined)
  .map((p) => p.name as ProbedTestRunType);

const AF_INET = 2;
const IPPROTO_TCP = 6;

/** The attach target of a BTF-attached probe, or an Unsupported when the kernel's BTF lacks it. */
function btfTarget(kind: 'func' | 'struct', name: string): number {
  const type = vmlinuxBtfType(kind, name);
  if (type === undefined) throw new MissingTarget(`the kernel's BTF has no ${kind} '${name}'`);
  return type.id;
}

class MissingTarget extends Error {}

/** What a recipe's `sends` is in bytes. @internal */
export function probeInput(sends: ProbeRecipe['sends']): Omit<ProgTestRunAttr, 'progFd'> {
  switch (sends) {
    case 'ethernet-frame':
      return { dataIn: probePacket() };
    case 'ipv4-packet':
      return { dataIn: ipv4Header() };
    // A context is required and data is refused; family and protocol must be real ones.
    case 'sk-lookup-ctx':
      return {
        ctxIn: encode(layoutFor('bpf_sk_lookup', '5.10'), {
          family: AF_INET,
          protocol: IPPROTO_TCP,
          remote_ip4: 0x0100000a,
          local_ip4: 0x0200000a,
          remote_port: 40000,
          local_port: 80,
        }),
      };
    case 'one-u64-arg':
      return { ctxIn: new Uint8Array(8) };
    case 'nothing':
      return {};
  }
}

/**
 * The probe program of a recipe; BTF lookups happen here, when the probe runs.
 * @throws MissingTarget when the kernel's BTF lacks the attach target.
 * @internal
 */
export function probeProgram(recipe: ProbeRecipe): Omit<ProbeProgramSpec, 'type'> {
  return {
    returns: recipe.returns,
    ...(recipe.expectedAttachType === undefined
      ? {}
      : { expectedAttachType: BpfAttachType[recipe.expectedAttachType] }),
    ...(recipe.attachTo === undefined
      ? {}
      : {
          // struct_ops programs attach to a member of the struct: expected_attach_type is its index (0).
          ...(recipe.attachTo.kind === 'struct' ? { expectedAttachType: 0 } : {}),
          attachBtfId: btfTarget(recipe.attachTo.kind, recipe.attachTo.name),
        }),
    ...(recipe.loadFlags === undefined ? {} : { flags: recipe.loadFlags }),
  };
}

function probeTestRun(name: ProbedTestRunType): ProbeOutcome {
  const recipe: ProbeRecipe = programTypes[name].probe;
  let spec: Omit<ProbeProgramSpec, 'type'>;
  try {
    spec = probeProgram(recipe);
  } catch (error) {
    if (error instanceof MissingTarget) return unsupported(error.message);
    throw error;
  }
  // ENOTSUPP: the type has no test run; EINVAL: this kernel's test run rejects even the minimal input.
  return withProbeProgram({ ...spec, type: BpfProgType[name] }, (program) =>
    supportedUnlessRefused(
      probeRun(program, probeInput(recipe.sends)),
      ['ENOTSUPP', 'EOPNOTSUPP', 'EINVAL'],
      `BPF_PROG_TEST_RUN of BPF_PROG_TYPE_${name}`,
    ),
  );
}

const features = new Map<ProbedTestRunType, Feature>();

/**
 * The feature "BPF_PROG_TEST_RUN runs programs of `type`", probed by loading the smallest program of the
 * type and running it with the smallest input the type takes. Unsupported when the kernel does not know
 * the type (EINVAL at load without a verifier log), or refuses the run with ENOTSUPP/EOPNOTSUPP/EINVAL.
 *
 * Minimum kernels and removals: the `testRun` of the type's row in @progrun/uapi's `programTypes`.
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
      { received: type },
    );
  }
  const probed = name;
  let feature = features.get(probed);
  if (feature === undefined) {
    const testRun = programTypeProfile(probed)?.testRun;
    feature = new Feature(
      {
        id: `test_run:${probed}`,
        description: `BPF_PROG_TEST_RUN of BPF_PROG_TYPE_${probed} programs`,
        minKernel: testRun?.minKernel,
        removedIn: testRun?.removedIn?.version,
      },
      () => probeTestRun(probed),
    );
    features.set(probed, feature);
  }
  return feature;
}
