import { xdpLiveFrames } from '@progrun/syscall/features';

/**
 * Whether the running kernel runs XDP programs in live-frame mode: @progrun/syscall's `xdpLiveFrames`
 * probe, run once per process. It runs an XDP_DROP program with BPF_F_TEST_XDP_LIVE_FRAMES *and*
 * batch_size = 1: kernels before 5.18 silently ignore the flag (a normal run) but refuse batch_size.
 *
 * Minimum kernel: 5.18. Needs CAP_BPF (or root).
 * @throws {ProbeInconclusiveError} when the probe could not tell (no privileges to load its program).
 */
export function liveFramesSupported(): boolean {
  const result = xdpLiveFrames.probe();
  if (result.status === 'inconclusive') throw result.error;
  return result.status === 'supported';
}

/**
 * Throws unless live-frame mode is available (see {@link liveFramesSupported}).
 * @throws {NotSupportedError} naming the feature, with minKernel '5.18'.
 * @throws {ProbeInconclusiveError} when the probe could not tell.
 */
export function requireLiveFrames(): void {
  xdpLiveFrames.check();
}
