import {
  BPF_F_TEST_RUN_ON_CPU,
  BPF_F_TEST_SKB_CHECKSUM_COMPLETE,
  BPF_F_TEST_XDP_LIVE_FRAMES,
  BpfProgType,
  encode,
  layoutFor,
} from '@progrun/uapi';
import { Feature, type ProbeOutcome, unsupported } from './feature.js';
import { loadProbeProgram, probePacket, probeRun, refusedWith, unexpected } from './probe-program.js';

const XDP_DROP = 1;
const XDP_PASS = 2;
/** The lowest BPF_PROG_TEST_RUN flag bit no kernel defines yet. */
export const NEXT_UNUSED_TEST_RUN_FLAG =
  2 **
  Math.ceil(
    Math.log2((BPF_F_TEST_RUN_ON_CPU | BPF_F_TEST_XDP_LIVE_FRAMES | BPF_F_TEST_SKB_CHECKSUM_COMPLETE) + 1),
  );

/** Loads an XDP program returning `verdict`, runs `probe` with it, and closes it. */
function withXdp(
  verdict: number,
  probe: (program: ReturnType<typeof loadProbeProgram>) => ProbeOutcome,
): ProbeOutcome {
  const program = loadProbeProgram({ type: BpfProgType.XDP, returns: verdict });
  try {
    return probe(program);
  } finally {
    program.close();
  }
}

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
    withXdp(XDP_DROP, (program) => {
      const result = probeRun(program, {
        dataIn: probePacket(),
        flags: BPF_F_TEST_XDP_LIVE_FRAMES,
        batchSize: 1,
      });
      if (refusedWith(result, 'EINVAL', 'E2BIG'))
        return unsupported(`a live-frames run was refused with ${result.code}`, result);
      if (!('retval' in result)) throw result;
      return true;
    }),
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
    withXdp(XDP_PASS, (program) => {
      const result = probeRun(program, { dataIn: probePacket(), flags: NEXT_UNUSED_TEST_RUN_FLAG });
      if (refusedWith(result, 'EINVAL')) return true;
      if ('retval' in result) return unsupported(`flag ${NEXT_UNUSED_TEST_RUN_FLAG} was silently accepted`);
      throw result;
    }),
);

/**
 * An `xdp_md` context in and out of XDP test runs (Linux 5.15). Probed with a context that only
 * restates the packet's bounds; older kernels refuse any ctx_in with EINVAL.
 */
export const xdpMdContext = new Feature(
  { id: 'xdp_md_ctx', description: 'xdp_md context (ctx_in/ctx_out) in XDP test runs', minKernel: '5.15' },
  () =>
    withXdp(XDP_PASS, (program) => {
      const data = probePacket();
      const ctxIn = encode(layoutFor('xdp_md', '5.10'), { data: 0, data_end: data.length });
      const result = probeRun(program, { dataIn: data, ctxIn, ctxOut: new Uint8Array(ctxIn.length) });
      if (refusedWith(result, 'EINVAL'))
        return unsupported('an xdp_md ctx_in was refused with EINVAL', result);
      if (!('retval' in result)) throw result;
      return true;
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
    withXdp(XDP_PASS, (program) => {
      const result = probeRun(program, { dataIn: probePacket().subarray(0, 13) });
      if (refusedWith(result, 'EINVAL')) return true;
      if ('retval' in result) return unsupported('a 13-byte packet was run');
      throw unexpected(result, 'EINVAL or success');
    }),
);
