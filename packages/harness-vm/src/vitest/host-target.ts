import { release } from 'node:os';
import type { KernelTarget, ReadyKernel } from './kernel-target.js';
import { spawnLocalWorker } from './local-worker-link.js';
import { SlotGate } from './slot-gate.js';

/** The running kernel as a {@link KernelTarget}: ready at once, `workers` files at a time. */
export function hostTarget(workers: number): KernelTarget {
  const ready: ReadyKernel = {
    slots: new SlotGate(workers),
    timeoutFactor: 1,
    env: { PROGRUN_KERNEL: 'host', PROGRUN_KERNEL_RELEASE: release() },
    spawn: spawnLocalWorker,
  };
  return {
    kernel: 'host',
    failure: undefined,
    start: () => Promise.resolve(ready),
    onFailure: () => () => {},
    takeKernelWarnings: () => [],
  };
}
