import {
  BPF_F_TEST_RUN_ON_CPU,
  BPF_F_TEST_SKB_CHECKSUM_COMPLETE,
  BPF_F_TEST_XDP_LIVE_FRAMES,
  BpfProgType,
  encode,
  layoutFor,
} from '@progrun/uapi';
import { Feature } from './feature.js';
import {
  probePacket,
  probeRun,
  supportedIfRefused,
  supportedUnlessRefused,
  withProbeProgram,
} from './probe-program.js';

const XDP_DROP = 1;
const XDP_PASS = 2;
/** The lowest BPF_PROG_TEST_RUN flag bit no kernel defines yet. */
export const NEXT_UNUSED_TEST_RUN_FLAG =
  2 **
  Math.ceil(
    Math.log2((BPF_F_TEST_RUN_ON_CPU | BPF_F_TEST_XDP_LIVE_FRAMES | BPF_F_TEST_SKB_CHECKSUM_COMPLETE) + 1),
  );

/**
 * XDP live-frames mode (`BPF_F_TEST_XDP_LIVE_FRAMES`, `batch_size`): Linux 5.18. Probed with the flag
 * *and* batch_size = 1 on an XDP_DROP program, since kernels before 5.18 accept the bare flag and run in
 * normal mode; with batch_size they answer EINVAL. Costs a few milliseconds (live mode always repeats).
 */
export const xdpLiveFrames = new Feature(
  {
    id: 'xdp_live_frames',
    description: 'XDP live-frames mode (BPF_F_TEST_XDP_LIVE_FRAMES with batch_size)',
    minKernel: '5.18',
  },
  () =>
    withProbeProgram({ type: BpfProgType.XDP, returns: XDP_DROP }, (program) =>
      supportedUnlessRefused(
        probeRun(program, { dataIn: probePacket(), flags: BPF_F_TEST_XDP_LIVE_FRAMES, batchSize: 1 }),
        ['EINVAL', 'E2BIG'],
        'a live-frames run',
      ),
    ),
);

/**
 * XDP test runs reject unknown flags (Linux 5.18): before, XDP silently ignored every flag, including
 * the live-frames flag. Probed with the next unused flag bit: EINVAL means the kernel checks.
 */
export const xdpRejectsUnknownFlags = new Feature(
  {
    id: 'xdp_rejects_unknown_flags',
    description: 'rejection of unknown BPF_PROG_TEST_RUN flags by XDP test runs',
    minKernel: '5.18',
  },
  () =>
    withProbeProgram({ type: BpfProgType.XDP, returns: XDP_PASS }, (program) =>
      supportedIfRefused(
        probeRun(program, { dataIn: probePacket(), flags: NEXT_UNUSED_TEST_RUN_FLAG }),
        'EINVAL',
        `unknown flag ${NEXT_UNUSED_TEST_RUN_FLAG}`,
      ),
    ),
);

/**
 * An `xdp_md` context in and out of XDP test runs (Linux 5.15). Probed with a context that only
 * restates the packet's bounds; older kernels refuse any ctx_in with EINVAL.
 */
export const xdpMdContext = new Feature(
  { id: 'xdp_md_ctx', description: 'xdp_md context (ctx_in/ctx_out) in XDP test runs', minKernel: '5.15' },
  () =>
    withProbeProgram({ type: BpfProgType.XDP, returns: XDP_PASS }, (program) => {
      const data = probePacket();
      const ctxIn = encode(layoutFor('xdp_md', '5.10'), { data: 0, data_end: data.length });
      const result = probeRun(program, { dataIn: data, ctxIn, ctxOut: new Uint8Array(ctxIn.length) });
      return supportedUnlessRefused(result, ['EINVAL'], 'an xdp_md ctx_in');
    }),
);

/**
 * XDP test runs refuse packets shorter than an Ethernet header (`data_size_in < 14` is EINVAL): a late-2024
 * fix (first in mainline 6.13, backported to stable kernels). Before, such packets ran.
 */
export const xdpRejectsShortData = new Feature(
  {
    id: 'xdp_rejects_short_data',
    description: 'rejection of XDP test-run packets shorter than ETH_HLEN',
    minKernel: '6.13',
  },
  () =>
    withProbeProgram({ type: BpfProgType.XDP, returns: XDP_PASS }, (program) =>
      supportedIfRefused(
        probeRun(program, { dataIn: probePacket().subarray(0, 13) }),
        'EINVAL',
        'a 13-byte packet',
      ),
    ),
);
