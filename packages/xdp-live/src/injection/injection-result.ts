import type { LiveStatistics } from '../stats/live-statistics.js';
import type { XdpAction } from '../stats/xdp-action.js';

/** One worker's share of an injection. */
export interface WorkerResult {
  /** CPU it was pinned to. */
  readonly cpu: number;
  /** Its kernel thread id. */
  readonly tid: number;
  readonly frames: number;
  /** BPF_PROG_RUN calls it made. */
  readonly calls: number;
  readonly elapsedMs: number;
  readonly pps: number;
  /** The kernel's own mean time per frame (its `duration`), over all calls. */
  readonly kernelNsPerFrame: number;
  /**
   * CPU time of the worker thread (CLOCK_THREAD_CPUTIME_ID: the kernel's work on its behalf included),
   * and frames per CPU-second: unlike `pps`, unaffected by time the worker spent waiting for its CPU.
   */
  readonly cpuMs: number;
  readonly ppsPerCpu: number;
}

/** One frame template's share. */
export interface PacketResult {
  readonly frames: number;
  /** The program's verdict for this template, when previewed (statistics on). */
  readonly verdict: XdpAction | undefined;
}

/** Whether the program was kept attached while injecting (see {@link InjectOptions.keepAttached}). */
export interface DispatcherState {
  /** True while the program was attached to the private loopback device. */
  readonly kept: boolean;
  /** Why not, when not. */
  readonly reason: string | undefined;
}

/** What an injection did. */
export interface InjectionResult {
  /** Frames the kernel ran the program on, over all workers (exact: the sum of every call's repeat). */
  readonly frames: number;
  readonly calls: number;
  /** From the first worker's start to the last one's end. */
  readonly elapsedMs: number;
  readonly pps: number;
  /** CPU time of all workers, and frames per CPU-second (see {@link WorkerResult.cpuMs}). */
  readonly cpuMs: number;
  readonly ppsPerCpu: number;
  readonly batchSize: number;
  /** True when stop() ended it before its count or duration. */
  readonly stopped: boolean;
  readonly dispatcher: DispatcherState;
  readonly workers: readonly WorkerResult[];
  readonly packets: readonly PacketResult[];
  /** Present when statistics were requested. */
  readonly stats: LiveStatistics | undefined;
  /** Everything that deserves attention (also emitted as process warnings). */
  readonly warnings: readonly string[];
}
