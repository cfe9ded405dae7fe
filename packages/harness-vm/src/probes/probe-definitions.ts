import { type KernelVersion, kernelAtLeast, programTypeProfiles } from '@progrun/uapi';
import {
  type Expectation,
  error,
  expectationFor,
  ok,
  supported,
  unsupported,
  type VersionRule,
} from './probe-expectation.js';
import type { ProbeObservation } from './probe-observation.js';

/** Sections of the matrix. */
export type ProbeGroup = 'test_run' | 'xdp' | 'options' | 'feature';

/**
 * One row of the kernel matrix: what is probed and what each kernel must show. The probes
 * themselves run inside the guests (see `guest/probe-implementations.ts`); this side is pure data
 * so reports can be built without loading the bpf binding.
 */
export interface ProbeDefinition {
  readonly id: string;
  readonly group: ProbeGroup;
  /** Row label. */
  readonly title: string;
  /** What the probe does, for the documentation. */
  readonly description: string;
  /** The expected result on a kernel; feature probes read their declared minimum from the observation. */
  expectation(version: KernelVersion, observation: ProbeObservation | undefined): Expectation;
}

const rules =
  (...list: VersionRule[]) =>
  (version: KernelVersion): Expectation =>
    expectationFor(list, version);

/**
 * Test-run support of every program type whose test run the syscall package probes: first kernel with it
 * and any removal, from @progrun/uapi's program-type table.
 */
const testRunProbes: ProbeDefinition[] = programTypeProfiles.flatMap(
  ({ name: type, probe, testRun, note }) => {
    if (!probe) return [];
    return [
      {
        id: `test_run.${type}`,
        group: 'test_run',
        title: type,
        description: `BPF_PROG_TEST_RUN of a minimal BPF_PROG_TYPE_${type} program (feature probe of @progrun/syscall)`,
        expectation: (version: KernelVersion): Expectation => {
          if (!testRun) return { anyOf: [unsupported], because: note ?? 'no kernel has a test run for it' };
          const { minKernel: since, removedIn } = testRun;
          if (removedIn) {
            const because = `test run removed in ${removedIn.version} (${removedIn.because})`;
            if (kernelAtLeast(version, removedIn.version)) return { anyOf: [unsupported], because };
            if (kernelAtLeast(version, since)) {
              return {
                anyOf: [supported],
                backports: removedIn.backported ? [unsupported] : [],
                because: `${since}: test run added; ${because}`,
              };
            }
          }
          return kernelAtLeast(version, since)
            ? { anyOf: [supported], because: `${since}: test run for ${type}` }
            : {
                anyOf: [unsupported],
                backports: [supported],
                because: `test run for ${type} arrived in ${since}`,
              };
        },
      },
    ];
  },
);

const before518 = 'before 5.18 XDP test runs ignore every flag';

/** Raw BPF_PROG_TEST_RUN calls whose answers differ between kernels. */
const runProbes: ProbeDefinition[] = [
  {
    id: 'xdp.baseline',
    group: 'xdp',
    title: 'XDP, flags 0',
    description: 'an XDP_PASS program on a 64-byte packet with no flags: the baseline every kernel passes',
    expectation: rules({ since: '4.12', anyOf: [ok(2)], because: 'retval XDP_PASS' }),
  },
  {
    id: 'xdp.unknown-flag',
    group: 'xdp',
    title: 'XDP, next unused flag bit',
    description:
      'the lowest BPF_F_TEST_* bit no kernel defines, on an XDP run (the BPF_F_TEST_XDP_RESERVED idea of the live-frames patch series): does the kernel reject unknown flags?',
    expectation: rules(
      { since: '4.12', anyOf: [ok(2)], because: `${before518}: the bit is silently ignored` },
      { since: '5.18', anyOf: [error('EINVAL')], because: '5.18: XDP rejects unknown flags' },
    ),
  },
  {
    id: 'xdp.live-flag-alone',
    group: 'xdp',
    title: 'XDP, LIVE_FRAMES flag alone',
    description:
      'BPF_F_TEST_XDP_LIVE_FRAMES without batch_size: an old kernel accepts the flag and runs in normal mode, so the flag alone cannot tell live mode apart',
    expectation: rules(
      { since: '4.12', anyOf: [ok(2)], because: `${before518}: a normal run, retval XDP_PASS` },
      { since: '5.18', anyOf: [ok(0)], because: '5.18: live mode, retval always 0' },
    ),
  },
  {
    id: 'xdp.live-frames',
    group: 'xdp',
    title: 'XDP live frames (flag + batch_size 1)',
    description:
      'BPF_F_TEST_XDP_LIVE_FRAMES with batch_size = 1 on an XDP_DROP program: the probe a silently-ignoring kernel cannot fool (batch_size is an unknown, non-zero attribute there)',
    expectation: rules(
      { since: '4.12', anyOf: [error('EINVAL')], because: 'batch_size is unknown before 5.18' },
      { since: '5.18', anyOf: [ok(0)], because: '5.18: live frames' },
    ),
  },
  {
    id: 'xdp.batch-without-flag',
    group: 'xdp',
    title: 'XDP, batch_size 64 without the flag',
    description: 'batch_size set but BPF_F_TEST_XDP_LIVE_FRAMES not',
    expectation: rules(
      { since: '4.12', anyOf: [error('EINVAL')], because: 'batch_size is unknown before 5.18' },
      { since: '5.18', anyOf: [error('EINVAL')], because: '5.18: batch_size needs live mode' },
    ),
  },
  {
    id: 'xdp.batch-300',
    group: 'xdp',
    title: 'XDP live, batch_size 300',
    description: 'live frames with batch_size above the kernel maximum of 256',
    expectation: rules(
      { since: '4.12', anyOf: [error('EINVAL')], because: 'batch_size is unknown before 5.18' },
      { since: '5.18', anyOf: [error('E2BIG')], because: '5.18: batch_size > 256 is E2BIG' },
    ),
  },
  {
    id: 'xdp.live-data-out',
    group: 'xdp',
    title: 'XDP live, data_out without ctx_in',
    description:
      'live frames with a data_out buffer (the documentation says rejected; the kernel rejects it only with ctx_in)',
    expectation: rules(
      { since: '4.12', anyOf: [ok(2)], because: `${before518}: a normal run` },
      { since: '5.18', anyOf: [ok(0)], because: '5.18: accepted, data_out = the unmodified input' },
    ),
  },
  {
    id: 'xdp.md-ctx-in',
    group: 'xdp',
    title: 'XDP, xdp_md ctx_in',
    description: 'an xdp_md context restating the packet bounds (data 0, data_end = length)',
    expectation: rules(
      { since: '4.12', anyOf: [error('EINVAL')], because: 'XDP takes no ctx_in before 5.15' },
      { since: '5.15', anyOf: [ok(2)], because: '5.15: xdp_md ctx in/out' },
    ),
  },
  {
    id: 'xdp.short-data',
    group: 'xdp',
    title: 'XDP, data_size_in 13 (< ETH_HLEN)',
    description: 'a packet shorter than an Ethernet header',
    expectation: rules(
      {
        since: '4.12',
        anyOf: [ok(2)],
        backports: [error('EINVAL')],
        because: 'runs before the late-2024 fix (mainline 6.13, also in stable kernels)',
      },
      { since: '6.13', anyOf: [error('EINVAL')], because: '6.13: data_size_in < ETH_HLEN is EINVAL' },
    ),
  },
  {
    id: 'xdp.run-on-cpu',
    group: 'xdp',
    title: 'XDP, BPF_F_TEST_RUN_ON_CPU',
    description: 'the run-on-CPU flag on an XDP run (XDP never honours cpu)',
    expectation: rules(
      { since: '4.12', anyOf: [ok(2)], because: `${before518}: ignored` },
      { since: '5.18', anyOf: [error('EINVAL')], because: '5.18: XDP accepts only LIVE_FRAMES' },
    ),
  },
  {
    id: 'raw_tp.run-on-cpu',
    group: 'options',
    title: 'raw_tp, BPF_F_TEST_RUN_ON_CPU, cpu 0',
    description: 'a raw tracepoint program run on CPU 0',
    expectation: rules({ since: '5.10', anyOf: [ok(0)], because: '5.10: raw_tp test run and RUN_ON_CPU' }),
  },
  {
    id: 'raw_tp.run-on-missing-cpu',
    group: 'options',
    title: 'raw_tp, BPF_F_TEST_RUN_ON_CPU, cpu 4095',
    description: 'a raw tracepoint program run on a CPU that does not exist',
    expectation: rules({
      since: '5.10',
      anyOf: [error('ENXIO')],
      because: 'an offline or absent CPU is ENXIO',
    }),
  },
  {
    id: 'skb.unknown-flag',
    group: 'options',
    title: 'SCHED_CLS, next unused flag bit',
    description: 'the lowest undefined flag bit on an skb run (skb runs check flags, unlike XDP before 5.18)',
    expectation: rules({
      since: '5.10',
      anyOf: [error('EINVAL')],
      because: '5.10: skb test runs reject unknown flags',
    }),
  },
  {
    id: 'skb.checksum-complete',
    group: 'options',
    title: 'SCHED_CLS, BPF_F_TEST_SKB_CHECKSUM_COMPLETE',
    description: 'an skb run with CHECKSUM_COMPLETE on a 64-byte IPv4 packet',
    expectation: rules(
      {
        since: '5.10',
        anyOf: [error('EINVAL')],
        backports: [ok(0)],
        because: 'an unknown flag before 6.11 (stable kernels received it)',
      },
      { since: '6.11', anyOf: [ok(0)], because: '6.11: BPF_F_TEST_SKB_CHECKSUM_COMPLETE' },
    ),
  },
];

/** The non-test-run feature probes of `@progrun/syscall/features` whose answers are recorded. */
export const featureProbeIds = [
  'xdp_live_frames',
  'xdp_rejects_unknown_flags',
  'test_run_on_cpu',
  'skb_checksum_complete',
  'xdp_md_ctx',
  'data_size_out',
  'xdp_rejects_short_data',
] as const;

/**
 * The cilium/ebpf rule for a feature probe: on a kernel at or above the feature's declared minimum
 * (and before any removal) it must say supported; below, unsupported, or supported as a backport
 * (distributions bring features to stable kernels). Inconclusive is never accepted.
 */
function featureExpectation(version: KernelVersion, observation: ProbeObservation | undefined): Expectation {
  const { minKernel, removedIn } = observation?.declared ?? {};
  if (removedIn && kernelAtLeast(version, removedIn)) {
    return { anyOf: [unsupported], because: `removed in ${removedIn}` };
  }
  if (minKernel && kernelAtLeast(version, minKernel)) {
    return {
      anyOf: [supported],
      backports: removedIn ? [unsupported] : [],
      because: `declared minimum ${minKernel}${removedIn ? `, removal (${removedIn}) backported` : ''}`,
    };
  }
  return {
    anyOf: minKernel ? [unsupported] : [supported, unsupported],
    backports: minKernel ? [supported] : [],
    because: minKernel ? `below the declared minimum ${minKernel}` : 'no declared minimum',
  };
}

const featureProbes: ProbeDefinition[] = featureProbeIds.map((id) => ({
  id: `feature.${id}`,
  group: 'feature',
  title: id,
  description: `the ${id} feature probe of @progrun/syscall/features`,
  expectation: featureExpectation,
}));

/** Every probe of the matrix, in report order. */
export const probeDefinitions: readonly ProbeDefinition[] = [
  ...runProbes,
  ...testRunProbes,
  ...featureProbes,
];
