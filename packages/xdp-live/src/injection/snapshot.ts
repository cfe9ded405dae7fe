import { FailedStepCode, type NativeLiveRun, native, SnapshotField, WorkerStateCode } from '../native.js';
import type { WorkerState } from './progress.js';

/** One worker in a decoded snapshot. @internal */
export interface WorkerSnapshot {
  readonly cpu: number;
  readonly tid: number;
  readonly state: WorkerState;
  readonly frames: number;
  readonly calls: number;
  readonly kernelNs: number;
  readonly startNs: number;
  readonly endNs: number;
  readonly lastChunk: number;
  readonly batchFrames: number;
  readonly cpuNs: number;
  /** Positive errno of the failed step, 0 when none failed. */
  readonly errno: number;
  readonly failedStep: keyof typeof FailedStepCode;
}

/** The engine's counters at one instant. @internal */
export interface Snapshot {
  readonly nowNs: number;
  readonly workers: readonly WorkerSnapshot[];
  /** Frames sent from each packet template. */
  readonly packetFrames: readonly number[];
  readonly frames: number;
}

const STATES = Object.fromEntries(
  Object.entries(WorkerStateCode).map(([name, code]) => [code, name]),
) as Record<number, WorkerState>;
const STEPS = Object.fromEntries(
  Object.entries(FailedStepCode).map(([name, code]) => [code, name]),
) as Record<number, keyof typeof FailedStepCode>;

/** Reads and decodes the engine's counters. @internal */
export function takeSnapshot(run: NativeLiveRun, packets: number): Snapshot {
  const raw = new Float64Array(run.snapshotLength);
  run.snapshot(raw);
  const stride = native.LiveRun.snapshotStride;
  const workers: WorkerSnapshot[] = [];
  for (let i = 0; i < run.workers; i++) {
    const at = (field: number) => raw[1 + i * stride + field] as number;
    workers.push({
      cpu: at(SnapshotField.cpu),
      tid: at(SnapshotField.tid),
      state: STATES[at(SnapshotField.state)] ?? 'starting',
      frames: at(SnapshotField.frames),
      calls: at(SnapshotField.calls),
      kernelNs: at(SnapshotField.kernelNs),
      startNs: at(SnapshotField.startNs),
      endNs: at(SnapshotField.endNs),
      lastChunk: at(SnapshotField.lastChunk),
      batchFrames: at(SnapshotField.batchFrames),
      cpuNs: at(SnapshotField.cpuNs),
      errno: at(SnapshotField.errno),
      failedStep: STEPS[at(SnapshotField.failedStep)] ?? 'none',
    });
  }
  const base = 1 + run.workers * stride;
  const packetFrames = Array.from({ length: packets }, (_, i) => raw[base + i] as number);
  return {
    nowNs: raw[0] as number,
    workers,
    packetFrames,
    frames: workers.reduce((sum, worker) => sum + worker.frames, 0),
  };
}
