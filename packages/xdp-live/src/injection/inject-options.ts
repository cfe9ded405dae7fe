import type { DeviceRef } from '../topology/device-ref.js';
import type { Netns } from '../topology/netns.js';

/** Anything holding an XDP program's fd: a `Program` of @progrun/syscall, a program of a loaded object. */
export interface ProgramRef {
  readonly fd: number;
}

/** What to measure besides frames and time; see {@link InjectOptions.stats}. */
export interface StatsOptions {
  /**
   * Count the run's `xdp:xdp_redirect_err` (refused redirects) and `xdp:xdp_devmap_xmit` (bulk transmits:
   * frames sent and refused) events with raw tracepoint programs attached for its duration. Both fire
   * rarely (per error, per bulk of up to 16 frames): their cost is not measurable. Default true.
   * Minimum kernel: 4.17 (raw tracepoints).
   */
  readonly xdpEvents?: boolean;
  /**
   * Also count `xdp:xdp_redirect`, which fires for every redirected frame (XDP_TX included): exact
   * redirect counts for every kind of target (cpumap and AF_XDP ones too, which bulk transmits do not
   * cover), at a price: about a quarter of XDP_TX throughput on the benchmark machine. Default false.
   */
  readonly countRedirects?: boolean;
  /**
   * Count the run's page-pool events (`page_pool:page_pool_state_hold`, `page_pool_state_release`,
   * `page_pool_release`) and compare them with the documented recycling model. Default true.
   * Minimum kernel: 5.5 (page_pool_release; the live test run itself needs 5.18).
   */
  readonly pagePool?: boolean;
  /**
   * Learn the program's verdict for each frame template by running it once per template in normal
   * (not live) test-run mode before the run, so that frames can be counted per action (DROP and PASS are
   * not visible to tracepoints). The program really runs once more per template: turn this off for a
   * program whose side effects (map updates) must not happen. Default true.
   */
  readonly previewVerdicts?: boolean;
  /**
   * The device XDP_TX/XDP_REDIRECT send frames out of (for XDP_TX: the ingress device): its driver's
   * ndo_xdp_xmit counters (`xdp_xmit`, `xdp_xmit_errors`) are read before and after, and whether it can
   * deliver at all is checked before the run (a warning says why not).
   */
  readonly transmit?: DeviceRef;
  /** Where the frames should arrive (a veth's peer): its rx counters are read before and after. */
  readonly receive?: DeviceRef;
  /** `transmit`'s veth peer, when it is in another namespace and `receive` is not that peer. */
  readonly transmitPeer?: DeviceRef;
}

/** Options of {@link inject}. */
export interface InjectOptions {
  /** The XDP program (BPF_PROG_TYPE_XDP). Its fd is duplicated for the run: closing it meanwhile is safe. */
  readonly program: ProgramRef;
  /** The frame to inject: 14 (ETH_HLEN) to 3408 bytes (live mode has no multi-buffer frames). */
  readonly packet?: Uint8Array;
  /** Several frame templates instead of `packet`: each call of a worker uses the next one in turn. */
  readonly packets?: readonly Uint8Array[];
  /**
   * The ingress device, by ifindex or name, inside `netns`: the program sees it as `ingress_ifindex`,
   * XDP_TX leaves through it, XDP_PASS enters its stack. Its receive queue must be registered for XDP
   * (for a veth: an XDP program or GRO on it).
   */
  readonly ifindex: number | string;
  /** Network namespace of `ifindex` (a {@link Netns} or the name of one); default the caller's. */
  readonly netns?: Netns | string;
  /** rx_queue_index of the context; default 0. */
  readonly rxQueue?: number;
  /** Frames per batch (the kernel's page pool size and flush unit): 1 to 256, default 64. */
  readonly batchSize?: number;
  /** Frames to inject over all workers. With neither count nor duration, runs until stopped. */
  readonly count?: number;
  /** Milliseconds to inject for. */
  readonly duration?: number;
  /** Frames per second over all workers; default as fast as possible. Paced per call (see README). */
  readonly rate?: number;
  /** CPUs to run one pinned worker each on; default the first CPU this process may use. */
  readonly cpus?: readonly number[];
  /** Instead of `cpus`: this many workers on the first CPUs this process may use. */
  readonly workers?: number;
  /** Stops every worker promptly; the injection then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * Keep the program attached (generic XDP on the loopback device of a private network namespace) while
   * injecting, so that each call avoids the XDP dispatcher update (two RCU grace periods, 16-24 ms) that
   * a test run with repeat >= 2 does otherwise. Default true.
   */
  readonly keepAttached?: boolean;
  /** Milliseconds between progress events; default 250. */
  readonly progressInterval?: number;
  /** Statistics to collect: true for the defaults of {@link StatsOptions}; default false. */
  readonly stats?: boolean | StatsOptions;
  /**
   * Frames per BPF_PROG_RUN call (its repeat). Default: sized from the kernel's own per-frame time so
   * that a call lasts about 5 ms (250 ms when the program is not kept attached), which bounds how long
   * a stop takes.
   */
  readonly chunkFrames?: number;
}
