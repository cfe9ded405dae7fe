// The contract between this package's TypeScript and the live-run engine in @progrun/syscall's addon:
// every list the two sides share is compared here, so an engine field, state or failed step added on
// one side only fails a test instead of misreading a snapshot.
import { native } from '@progrun/syscall/native';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type { WorkerState } from '../src/index.js';
import { type FailedStep, SNAPSHOT_FIELDS, SnapshotField } from '../src/injection/snapshot.js';

describe('xdp-live and the native LiveRun agree', () => {
  test("SnapshotField: one position per native field, the stride long, in the addon's order", () => {
    const { snapshotFields, snapshotStride } = native.LiveRun;
    expect(snapshotFields).toHaveLength(snapshotStride);
    expect([...SNAPSHOT_FIELDS].sort()).toEqual([...snapshotFields].sort());
    for (const [name, index] of Object.entries(SnapshotField)) expect(snapshotFields[index]).toBe(name);
    expect(Object.values(SnapshotField).sort((a, b) => a - b)).toEqual([...Array(snapshotStride).keys()]);
  });

  test('the worker states and failed steps a snapshot codes are the names the TypeScript types spell', () => {
    const states: readonly WorkerState[] = ['starting', 'running', 'done', 'failed'];
    const steps: readonly FailedStep[] = ['none', 'setns', 'affinity', 'testRun'];
    expect([...native.LiveRun.workerStates].sort()).toEqual([...states].sort());
    expect([...native.LiveRun.failedSteps].sort()).toEqual([...steps].sort());
    // No code is 'starting'/'none' by accident: the engine's zero-initialised counters read as those.
    expect(native.LiveRun.workerStates[0]).toBe('starting');
    expect(native.LiveRun.failedSteps[0]).toBe('none');
    expectTypeOf<WorkerState>().toEqualTypeOf<(typeof states)[number]>();
    expectTypeOf<FailedStep>().toEqualTypeOf<(typeof steps)[number]>();
  });

  test('a new LiveRun snapshots zeroed workers in that layout before it starts', () => {
    const run = new native.LiveRun({
      progFd: 0,
      netnsFd: -1,
      packets: [new Uint8Array(60), new Uint8Array(70)],
      ifindex: 1,
      rxQueue: 0,
      batchSize: 64,
      count: 0,
      durationNs: 0,
      ratePps: 0,
      cpus: [-1, 3],
      chunkFrames: 0,
      callTargetNs: 1e6,
    });
    expect(run.workers).toBe(2);
    expect(run.snapshotLength).toBe(1 + 2 * native.LiveRun.snapshotStride + 2);
    const out = new Float64Array(run.snapshotLength);
    run.snapshot(out);
    const worker = (i: number, field: keyof typeof SnapshotField) =>
      out[1 + i * native.LiveRun.snapshotStride + SnapshotField[field]];
    expect(out[0]).toBeGreaterThan(0);
    expect([worker(0, 'cpu'), worker(1, 'cpu')]).toEqual([-1, 3]);
    expect([worker(0, 'frames'), worker(1, 'state'), worker(1, 'failedStep')]).toEqual([0, 0, 0]);
    run.stop();
    run.join();
  });
});
