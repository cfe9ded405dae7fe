import {
  BPF_F_TEST_RUN_ON_CPU,
  BPF_F_TEST_SKB_CHECKSUM_COMPLETE,
  BPF_F_TEST_XDP_LIVE_FRAMES,
  type KernelLimit,
  kernelOlderThan,
  BpfProgType as ProgType,
  programTypeProfile,
  programTypeProfiles,
  programTypes,
} from '@progrun/uapi';
import { progTypeName } from '../enum-names.js';
import type { RunPlan } from '../run-options.js';
import { ETH_HLEN, TEST_RUN_SINCE, TEST_XDP_MAX_BATCH } from '../test-run-support.js';
import { BpfError, type PartialTestRun } from './bpf-error.js';
import { ENOTSUPP, errnoOf } from './errno-names.js';
import { NotSupportedError } from './not-supported-error.js';

const COMMAND = 'BPF_PROG_TEST_RUN';
const EINVAL = errnoOf('EINVAL');
const E2BIG = errnoOf('E2BIG');
const ENOSPC = errnoOf('ENOSPC');
const EPERM = errnoOf('EPERM');
const ENXIO = errnoOf('ENXIO');
const EBADF = errnoOf('EBADF');
const ENODEV = errnoOf('ENODEV');
const EOPNOTSUPP = errnoOf('EOPNOTSUPP');

/** The skb program types: their test run builds an `__sk_buff` around data_in. */
const SKB_TYPES: ReadonlySet<number> = new Set(
  programTypeProfiles
    .filter((p) => {
      const layout = p.testRun?.context?.layout;
      return layout?.kind === 'uapi' && layout.struct === '__sk_buff';
    })
    .map((p) => p.value),
);
/** Program types whose test run takes no data_in. */
const NO_DATA_TYPES: ReadonlySet<number> = new Set(
  programTypeProfiles.filter((p) => p.testRun && p.testRun.data !== 'required').map((p) => p.value),
);

/** `32 bytes (Linux 5.15), 252 (6.8), 216 (6.19; stable 6.12, 6.18)`: a per-kernel limit for a message. */
function describeLimits(limits: readonly KernelLimit[]): string {
  return limits
    .map((l, i) => {
      const backports = l.backportedTo ? `; stable ${l.backportedTo.join(', ')}` : '';
      return `${l.max}${i === 0 ? ' bytes' : ''} (${i === 0 ? 'Linux ' : ''}${l.since}${backports})`;
    })
    .join(', ');
}

const XDP_METADATA_LIMITS = describeLimits(programTypes.XDP.testRun.context.metadataLimits);

/** Sizes the kernel reported on a failed run, for ENOSPC messages. @internal */
export interface ReportedSizes {
  readonly dataSizeOut: number;
  readonly ctxSizeOut: number;
}

/**
 * Turns a failed BPF_PROG_TEST_RUN into the error that says what to change: a {@link NotSupportedError}
 * when the running kernel predates what the call needs, else a {@link BpfError} with a hint drawn from
 * the program type and the options. The hints follow net/bpf/test_run.c.
 * @internal
 */
export function diagnoseTestRun(
  errno: number,
  progType: number,
  plan: RunPlan,
  reported: ReportedSizes,
  partialRun?: PartialTestRun,
): BpfError | NotSupportedError {
  const type = progTypeName(progType);
  const error = (hint?: string) =>
    new BpfError({
      errno,
      command: COMMAND,
      ...(hint ? { hint } : {}),
      ...(partialRun ? { partialRun } : {}),
    });
  const notSupported = (feature: string, minKernel: string, hint?: string) =>
    new NotSupportedError(feature, minKernel, { cause: error(hint), ...(hint ? { hint } : {}) });

  if (errno === ENOTSUPP) {
    const since = TEST_RUN_SINCE[progType];
    if (since !== undefined && kernelOlderThan(since))
      return notSupported(`BPF_PROG_TEST_RUN of ${type}`, since);
    const removed = programTypeProfile(progType)?.testRun?.removedIn;
    if (since === undefined) {
      return error(
        `${type} programs have no test run in the kernel; test the logic in a type that has one (XDP, SCHED_CLS, SOCKET_FILTER, ...)`,
      );
    }
    return error(
      removed
        ? `this kernel has no test run for ${type} programs: mainline had one from ${since} to ${removed.version} (${removed.because})`
        : `this kernel has no test run for ${type} programs (mainline has one since ${since}; it may be configured out)`,
    );
  }
  if (errno === EPERM)
    return error('test runs need CAP_BPF with CAP_NET_ADMIN or CAP_SYS_ADMIN (run as root)');
  if (errno === EBADF) return error('the program fd is not open');
  if (errno === ENXIO) return error(`cpu ${plan.cpu} is not an online CPU`);
  if (errno === ENODEV) {
    return error(
      'the ctx names an ifindex with no network device in this network namespace (ingress_ifindex / ifindex)',
    );
  }
  if (errno === ENOSPC) {
    if (reported.dataSizeOut > plan.dataSizeOut) {
      return error(
        `the program produced ${reported.dataSizeOut} bytes of packet but dataSizeOut is ${plan.dataSizeOut}; raise dataSizeOut or leave it unset`,
      );
    }
    return error(
      `the context out is ${reported.ctxSizeOut} bytes but ctxSizeOut is ${plan.ctxSizeOut}; raise ctxSizeOut or leave it unset`,
    );
  }

  if (errno === EINVAL && plan.ctx !== null && plan.ctx.byteLength === 0) {
    return error('ctx is empty: the kernel refuses a ctx_in of size 0; pass a context or leave ctx unset');
  }

  const live = (plan.flags & BPF_F_TEST_XDP_LIVE_FRAMES) !== 0;
  if (progType === ProgType.XDP) {
    if (errno === E2BIG && plan.batchSize > TEST_XDP_MAX_BATCH) {
      return error(
        `batchSize ${plan.batchSize} is above the kernel's limit of ${TEST_XDP_MAX_BATCH} frames per batch`,
      );
    }
    if (errno === EINVAL && plan.batchSize > 0) {
      if (kernelOlderThan('5.18')) {
        return notSupported('XDP live frames (batch_size, BPF_F_TEST_XDP_LIVE_FRAMES)', '5.18');
      }
      if (!live)
        return error(
          'batchSize is only valid with flags BPF_F_TEST_XDP_LIVE_FRAMES: add the flag or drop batchSize',
        );
    }
    if (errno === EINVAL && (plan.flags & ~BPF_F_TEST_XDP_LIVE_FRAMES) !== 0) {
      return error('XDP test runs accept only BPF_F_TEST_XDP_LIVE_FRAMES in flags');
    }
    if (errno === EINVAL && plan.ctx !== null) {
      if (kernelOlderThan('5.15'))
        return notSupported('XDP test run with an xdp_md context (ctx_in)', '5.15');
      if (live && (plan.dataSizeOut > 0 || plan.ctxSizeOut > 0)) {
        return error('live-frames runs with a ctx return nothing: set dataSizeOut: 0 and ctxSizeOut: 0');
      }
      return error(
        'the xdp_md ctx broke a rule: data_meta must be 0, data <= data_end (the packet length), ' +
          `metadata (data) a multiple of 4 of at most ${XDP_METADATA_LIMITS}, rx_queue_index needs ingress_ifindex (an existing ` +
          'device and queue), egress_ifindex 0',
      );
    }
    if (errno === EINVAL && plan.cpu !== 0) return error('XDP test runs take no cpu: drop it');
  }
  if (errno === EINVAL && plan.cpu !== 0 && (plan.flags & BPF_F_TEST_RUN_ON_CPU) === 0) {
    return error('cpu is only honoured with flags BPF_F_TEST_RUN_ON_CPU (raw tracepoint programs)');
  }
  if (SKB_TYPES.has(progType) && errno === EINVAL) {
    if ((plan.flags & BPF_F_TEST_SKB_CHECKSUM_COMPLETE) !== 0 && kernelOlderThan('6.11')) {
      return notSupported('BPF_F_TEST_SKB_CHECKSUM_COMPLETE', '6.11');
    }
    if ((plan.flags & ~BPF_F_TEST_SKB_CHECKSUM_COMPLETE) !== 0 || plan.batchSize !== 0 || plan.cpu !== 0) {
      return error(
        'skb test runs accept only BPF_F_TEST_SKB_CHECKSUM_COMPLETE in flags, and no cpu or batchSize',
      );
    }
    if (plan.ctx !== null) {
      return error(
        'the __sk_buff ctx may set only mark, priority, ingress_ifindex, ifindex, cb, tstamp, wire_len (>= packet ' +
          'length), gso_segs, gso_size and hwtstamp; every other byte must be 0',
      );
    }
  }
  if (progType === ProgType.RAW_TRACEPOINT || progType === ProgType.RAW_TRACEPOINT_WRITABLE) {
    if (errno === EINVAL && (plan.flags & BPF_F_TEST_RUN_ON_CPU) !== 0 && kernelOlderThan('5.10')) {
      return notSupported('BPF_F_TEST_RUN_ON_CPU', '5.10');
    }
    if (errno === EINVAL) {
      return error(
        'raw tracepoint test runs take only ctx (the arguments, 8 bytes each, at most 12, covering every argument ' +
          'the program reads) and flags/cpu: no data, repeat, ctxSizeOut or batchSize',
      );
    }
  }
  if (progType === ProgType.SYSCALL && errno === EINVAL) {
    return error(
      'SYSCALL test runs take only ctx (at most 65535 bytes, covering what the program reads): no data, repeat, flags or batchSize',
    );
  }
  if (progType === ProgType.SK_LOOKUP && errno === EINVAL) {
    return error(
      'SK_LOOKUP test runs need ctx (struct bpf_sk_lookup with family, protocol, ports and addresses; sk and cookie 0) and take no data',
    );
  }
  if (progType === ProgType.STRUCT_OPS) {
    if (errno === EOPNOTSUPP) {
      return error(
        "only operations of the kernel's bpf_dummy_ops have a test run: load the program for that struct",
      );
    }
    if (errno === EINVAL) {
      return error(
        'STRUCT_OPS test runs take only ctx: one u64 per argument of the operation, exactly as many as it has; ' +
          "recent kernels also refuse a 0 (NULL) pointer argument where the operation does not allow one (only test_1's state may be NULL)",
      );
    }
  }
  if (errno === E2BIG && plan.ctx !== null) {
    return error(
      "ctx is longer than the kernel's context struct for this program type and has non-zero bytes past it",
    );
  }
  if (errno === EINVAL && plan.data !== null && NO_DATA_TYPES.has(progType)) {
    return error(`${type} test runs take no data`);
  }
  if (errno === EINVAL && !NO_DATA_TYPES.has(progType)) {
    const length = plan.data?.byteLength ?? 0;
    if (length < ETH_HLEN)
      return error(`data must be at least ${ETH_HLEN} bytes (an Ethernet header); it is ${length}`);
    if (progType !== ProgType.XDP && length > 4096 - 320 - 64) {
      return error('data must fit one page with the kernel headroom and skb_shared_info (about 3.7 KiB)');
    }
    if ((plan.flags & ~BPF_F_TEST_SKB_CHECKSUM_COMPLETE) !== 0)
      return error(`${type} test runs take no such flags`);
  }
  return error();
}
