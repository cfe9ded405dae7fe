/**
 * The one place the native addon is loaded and typed; nothing else in the package imports the `.node`
 * file. Conventions (see native/src): calls return a result or `-errno`; JavaScript builds the errors.
 * @internal
 */
import { createRequire } from 'node:module';

/** What {@link NativeBinding.LiveRun} is started with; validated by the TypeScript layer first. */
export interface NativeLiveRunConfig {
  /** Program fd; the addon duplicates it for the whole run. */
  readonly progFd: number;
  /** Network namespace fd every worker enters before its first call; -1 to stay in the caller's. */
  readonly netnsFd: number;
  /** Frame templates; each call of a worker uses the next one. */
  readonly packets: readonly Uint8Array[];
  /** Ingress ifindex for the xdp_md; 0 = no context (the kernel uses the namespace's lo). */
  readonly ifindex: number;
  readonly rxQueue: number;
  readonly batchSize: number;
  /** Frames over all workers; 0 = unbounded. */
  readonly count: number;
  /** 0 = unbounded. */
  readonly durationNs: number;
  /** Frames per second over all workers; 0 = unlimited. */
  readonly ratePps: number;
  /** One worker per entry, pinned to that CPU (-1: not pinned). */
  readonly cpus: readonly number[];
  /** Fixed repeat per call; 0 = sized so that a call lasts about callTargetNs. */
  readonly chunkFrames: number;
  readonly callTargetNs: number;
}

/** A running set of workers. */
export interface NativeLiveRun {
  /**
   * out[0] = CLOCK_MONOTONIC now (ns); then `snapshotStride` values per worker (see {@link SnapshotField});
   * then frames sent from each packet template. `out` needs `snapshotLength` elements.
   */
  snapshot(out: Float64Array): void;
  /** Stop every worker after its current call. */
  stop(): void;
  /** Wait for the worker threads to exit (call after onDone). */
  join(): void;
  readonly workers: number;
  readonly snapshotLength: number;
}

export interface NativeLiveRunConstructor {
  /** Starts the workers; onDone runs once on the main thread when all have stopped. Throws an Error with
   * `errno` when a fd cannot be duplicated or a thread cannot start. */
  new (config: NativeLiveRunConfig, onDone: () => void): NativeLiveRun;
  readonly snapshotStride: number;
}

/** The addon's surface. */
export interface NativeBinding {
  readonly LiveRun: NativeLiveRunConstructor;
  /** CLOCK_MONOTONIC in ns, the clock of snapshots. */
  monotonicNs(): number;
  /** A new unnamed network namespace held only by the returned fd, or -errno. */
  createPrivateNetns(): number;
  /** BPF_LINK_CREATE (BPF_XDP) of progFd on ifindex inside netnsFd (-1: the caller's); fd or -errno. */
  xdpLinkCreate(netnsFd: number, ifindex: number, progFd: number, xdpFlags: number): number;
  /** Name of ifindex inside netnsFd, or -errno (ENXIO/ENODEV when there is none). */
  ifindexName(netnsFd: number, ifindex: number): string | number;
  /** ifindex of a device name inside netnsFd, or -errno. */
  ifnameIndex(netnsFd: number, name: string): number;
  /**
   * One normal-mode XDP test run of packet inside netnsFd, with an xdp_md naming ifindex (0: none):
   * the program's verdict (retval), or -errno.
   */
  xdpVerdict(netnsFd: number, progFd: number, packet: Uint8Array, ifindex: number, rxQueue: number): number;
  /**
   * BPF_MAP_UPDATE_ELEM from inside netnsFd (devmap/cpumap values name devices by ifindex, resolved in
   * the updating thread's namespace). key and value must have the map's sizes. 0 or -errno.
   */
  mapUpdateInNetns(netnsFd: number, mapFd: number, key: Uint8Array, value: Uint8Array, flags: number): number;
  /** CPUs this process may run on. */
  allowedCpus(): number[];
}

/** Indexes into one worker's slice of a snapshot. */
export const SnapshotField = {
  frames: 0,
  calls: 1,
  kernelNs: 2,
  startNs: 3,
  endNs: 4,
  lastChunk: 5,
  state: 6,
  errno: 7,
  failedStep: 8,
  tid: 9,
  cpu: 10,
  /** Sum over calls of min(repeat, batchSize): the pages one batch of each call needs. */
  batchFrames: 11,
  /** The worker thread's CPU time so far (CLOCK_THREAD_CPUTIME_ID), ns. */
  cpuNs: 12,
} as const;

/** Worker states in a snapshot. */
export const WorkerStateCode = { starting: 0, running: 1, done: 2, failed: 3 } as const;

/** Why a worker failed, in a snapshot. */
export const FailedStepCode = { none: 0, setns: 1, affinity: 2, testRun: 3 } as const;

const require = createRequire(import.meta.url);

/** The loaded addon. */
export const native: NativeBinding = require('../build/Release/progrun_xdp_live.node') as NativeBinding;
