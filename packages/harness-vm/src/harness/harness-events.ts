import type { AcceleratorVerdict } from '../accelerator/detect-accelerator.js';
import type { ProvisioningStep } from '../kernels/provision-kernel.js';
import type { Accelerator } from '../vm/vng-arguments.js';
import type { KernelRunResult } from './kernel-run-result.js';

/** A kernel is being resolved, downloaded or extracted. */
export interface ProvisioningEvent {
  readonly type: 'provisioning';
  readonly kernel: string;
  readonly step: ProvisioningStep;
  readonly detail: string;
}

/** The accelerator is being probed (`probing`) or was chosen (`decided`). */
export interface AcceleratorEvent {
  readonly type: 'accelerator';
  readonly phase: 'probing' | 'decided';
  readonly verdict?: AcceleratorVerdict;
}

/** A guest is starting (or, for `host`, the command is starting on the host). */
export interface BootingEvent {
  readonly type: 'booting';
  readonly kernel: string;
  readonly release: string;
  readonly accelerator: Accelerator | 'none';
  readonly bootTimeoutMs: number;
}

/** The guest reached userspace and the command started. */
export interface RunningEvent {
  readonly type: 'running';
  readonly kernel: string;
  readonly bootMs: number;
}

/** A kernel's run finished (in any outcome). */
export interface ResultEvent {
  readonly type: 'result';
  readonly kernel: string;
  readonly result: KernelRunResult;
}

/** Lifecycle events of a harness run, in the order they happen for each kernel. */
export type HarnessEvent = ProvisioningEvent | AcceleratorEvent | BootingEvent | RunningEvent | ResultEvent;
