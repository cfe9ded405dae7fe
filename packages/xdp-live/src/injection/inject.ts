import type { InjectOptions } from './inject-options.js';
import { Injection } from './injection.js';

/**
 * Injects frames with XDP live-frame mode (BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES): the kernel
 * runs the program on each frame as if it had arrived on `ifindex` and carries out its verdict (XDP_TX and
 * XDP_REDIRECT transmit, XDP_PASS enters the stack, XDP_DROP recycles). One worker thread per CPU, each
 * pinned, loops BPF_PROG_RUN calls of `batchSize`-frame batches until `count` frames, `duration` ms,
 * stop() or the signal; `rate` paces them. Returns at once: the returned {@link Injection} is a promise of
 * the result, emits progress, and iterates progress.
 *
 * Never falls back to a normal test run: without live-frame support it rejects with NotSupportedError.
 *
 * Minimum kernel: 5.18. Needs CAP_BPF and CAP_NET_ADMIN (CAP_SYS_ADMIN for `netns` and keepAttached).
 * @throws (rejects) {ValidationError} for an option that breaks a rule, before any syscall.
 * @throws (rejects) {NotSupportedError} `feature: 'XDP live frames ...', minKernel: '5.18'` on older kernels.
 * @throws (rejects) {BpfError} when a BPF_PROG_RUN call fails (its hint says what to change).
 * @throws (rejects) {WorkerError} when a worker cannot enter `netns` or pin itself.
 * @throws (rejects) {CommandError} when a statistics device cannot be read.
 * @throws (rejects) the signal's reason when aborted, after every worker stopped.
 *
 * @example
 * ```ts
 * const result = await inject({ program, packet, ifindex: 'eth0', count: 1_000_000 });
 * console.log(`${result.frames} frames, ${(result.pps / 1e6).toFixed(2)} Mpps`);
 * ```
 */
export function inject(options: InjectOptions): Injection {
  return new Injection(options);
}
