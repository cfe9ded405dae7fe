import type { HarnessError } from '../errors.js';
import type { SpawnRequest } from './agent-frames.js';
import type { SlotGate } from './slot-gate.js';
import type { WorkerLink } from './worker-link.js';

/** A kernel that is ready to run test files. */
export interface ReadyKernel {
  /** How many of the kernel's files run at once. */
  readonly slots: SlotGate;
  /** What the default test and hook deadlines are multiplied by on this kernel. */
  readonly timeoutFactor: number;
  /** Added to each worker's environment (PROGRUN_KERNEL, PROGRUN_KERNEL_RELEASE, a guest's TMPDIR). */
  readonly env: Readonly<Record<string, string>>;
  /** Starts one vitest worker process on the kernel. */
  spawn(request: SpawnRequest): WorkerLink;
}

/** Where a kernel project's test files run: the host, or a guest booted once per run. */
export interface KernelTarget {
  /** Catalogue name (`host`, `5.10`). */
  readonly kernel: string;
  /** The failure that ended the kernel's guest, if one did. */
  readonly failure: HarnessError | undefined;
  /** Makes the kernel ready (boots a guest once); rejects with its failure. */
  start(): Promise<ReadyKernel>;
  /** Calls `listener` once when the kernel fails (at once when it already has); returns the unsubscribe. */
  onFailure(listener: (error: HarnessError) => void): () => void;
  /** Oops, BUG and WARNING headlines the kernel printed since the last call. */
  takeKernelWarnings(): readonly string[];
}
