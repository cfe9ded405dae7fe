import { type NativeLiveRun, native } from '@progrun/syscall/native';
import type { WorkerState } from './progress.js';

/** Why a worker failed, in a snapshot. @internal */
export type FailedStep = 'none' | 'setns' | 'affinity' | 'testRun';

/** The per-worker values of a snapshot this package reads. @internal */
export const SNAPSHOT_FIELDS = [
  'frames',
  'calls',
  'kernelNs',
  'startNs',
  'endNs',
  'lastChunk',
  'state',
  'errno',
  'failedStep',
  'tid',
  'cpu',
  // Sum over calls of min(repeat, batchSize): the pages one batch of each call needs.
  'batchFrames',
  // The worker thread's CPU time so far (CLOCK_THREAD_CPUTIME_ID), ns.
  'cpuNs',
] as const;

/**
 * The position of each field in one worker's slice of a snapshot, taken from the addon's own list
 * (`LiveRun.snapshotFields`), so no ordering is kept by hand on this side. An addon without one of the
 * fields (a stale binary, PROGRUN_NATIVE_PATH pointing elsewhere) fails here, at load.
 * @internal
 */
export const SnapshotField = positions(native.LiveRun.snapshotFields, SNAPSHOT_FIELDS, 'snapshotFields');

function positions<Name extends string>(
  native: readonly string[],
  names: readonly Name[],
  list: string,
): Readonly<Record<Name, number>> {
  const result = {} as Record<Name, number>;
  for (const name of names) {
    const index = native.indexOf(name);
    if (index < 0) {
      throw new Error(
        `@progrun/xdp-live: the native addon's LiveRun.${list} lacks '${name}': @progrun/syscall's addon is ` +
          'not the one this package was built with',
      );
    }
    result[name] = index;
  }
  return result;
}

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
  readonly failedStep: FailedStep;
}

/** The engine's counters at one instant. @internal */
export interface Snapshot {
  readonly nowNs: number;
  readonly workers: readonly WorkerSnapshot[];
  /** Frames sent from each packet template. */
  readonly packetFrames: readonly number[];
  readonly frames: number;
}

// Names by code, as the addon defines them (their contract with WorkerState and FailedStep is tested).
const STATES = native.LiveRun.workerStates as readonly WorkerState[];
const STEPS = native.LiveRun.failedSteps as readonly FailedStep[];

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
