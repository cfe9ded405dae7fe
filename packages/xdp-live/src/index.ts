/**
 * @progrun/xdp-live: XDP live-frame injection (BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES) across
 * pinned worker threads, with rates, progress, tracepoint and page-pool statistics, and test topologies.
 */
export { CommandError, type CommandErrorOptions } from './errors/command-error.js';
export { WorkerError } from './errors/worker-error.js';
export { inject } from './injection/inject.js';
export type { InjectOptions, ProgramRef, StatsOptions } from './injection/inject-options.js';
export { Injection, type InjectionEvents, type InjectionStart } from './injection/injection.js';
export type {
  DispatcherState,
  InjectionResult,
  PacketResult,
  WorkerResult,
} from './injection/injection-result.js';
export {
  DEFAULT_BATCH,
  MAX_BATCH,
  MAX_LIVE_FRAME,
  MIN_FRAME,
} from './injection/limits.js';
export { liveFramesSupported, requireLiveFrames } from './injection/live-frames-support.js';
export type { Progress, WorkerProgress, WorkerState } from './injection/progress.js';
export {
  type DeliveryEvidence,
  type DeliveryStatus,
  type DeliveryVerdict,
  deliveryVerdict,
  type LossCause,
} from './stats/delivery-verdict.js';
export {
  counterDelta,
  type DeviceCounters,
  type ReadDeviceCountersOptions,
  readDeviceCounters,
} from './stats/device-counters.js';
export type { DeviceReport, LiveStatistics } from './stats/live-statistics.js';
export {
  comparePagePool,
  type PagePoolMeasurement,
  type PagePoolPrediction,
  type PagePoolReport,
  type PagePoolRunFacts,
  predictPagePool,
} from './stats/page-pool-model.js';
export { type FramesByAction, type XdpAction, xdpActionName } from './stats/xdp-action.js';
export type { XdpEventCounts, XdpEventTotals } from './stats/xdp-event-counts.js';
export { liveNetnsNames, removeStaleNetns } from './topology/cleanup-registry.js';
export type { DeviceRef } from './topology/device-ref.js';
export { type DevmapRef, setDevmapEntry } from './topology/devmap-entry.js';
export { type CreateNetnsOptions, Netns } from './topology/netns.js';
export {
  type CheckXdpReceiveOptions,
  checkXdpReceive,
  type ReceiveReadiness,
} from './topology/receive-readiness.js';
export {
  type ReceiveMode,
  type VethEnd,
  VethTopology,
  type VethTopologyOptions,
} from './topology/veth-topology.js';
