import { BpfError, bpfProgTestRun, NotSupportedError } from '@progrun/syscall';
import { BPF_F_TEST_XDP_LIVE_FRAMES, LIVE_FRAMES_MIN_KERNEL } from './limits.js';
import { loadVerdictProgram } from './verdict-program.js';

/** The feature name in NotSupportedError. */
export const LIVE_FRAMES_FEATURE = 'XDP live frames (BPF_F_TEST_XDP_LIVE_FRAMES with batch_size)';

let cached: boolean | undefined;

/**
 * Whether the running kernel runs XDP programs in live-frame mode. Probed once, then cached: an XDP_DROP
 * program run with BPF_F_TEST_XDP_LIVE_FRAMES and batch_size = 1. Kernels before 5.18 silently ignore the
 * flag (a normal run), so the flag alone proves nothing; batch_size is a field they do not know, and
 * refuse with EINVAL. XDP_DROP keeps the probe free of side effects.
 *
 * Minimum kernel: 5.18. Needs CAP_BPF (or CAP_SYS_ADMIN).
 * @throws {BpfError} when the probe program cannot be loaded (EPERM) or fails otherwise.
 */
export function liveFramesSupported(): boolean {
  if (cached !== undefined) return cached;
  using probe = loadVerdictProgram('drop');
  try {
    bpfProgTestRun({
      progFd: probe.fd,
      dataIn: new Uint8Array(64),
      repeat: 1,
      flags: BPF_F_TEST_XDP_LIVE_FRAMES,
      batchSize: 1,
    });
    cached = true;
  } catch (error) {
    if (!BpfError.isInstance(error) || error.code !== 'EINVAL') throw error;
    cached = false;
  }
  return cached;
}

/**
 * Throws unless live-frame mode is available (see {@link liveFramesSupported}).
 * @throws {NotSupportedError} with feature {@link LIVE_FRAMES_FEATURE} and minKernel '5.18'.
 */
export function requireLiveFrames(): void {
  if (!liveFramesSupported()) {
    throw new NotSupportedError(LIVE_FRAMES_FEATURE, LIVE_FRAMES_MIN_KERNEL, {
      hint: 'the kernel refused batch_size in a live-frame test run; it would silently run frames in normal mode',
    });
  }
}
