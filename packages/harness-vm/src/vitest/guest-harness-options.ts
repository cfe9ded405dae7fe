import type { KernelEntry } from '../kernels/catalogue.js';
import type { Accelerator } from '../vm/vng-arguments.js';

/** How the guests of {@link defineKernelProjects} are booted; every field has a default. */
export interface GuestHarnessOptions {
  /** The directory the guests run in and may write (as an overlay); default `process.cwd()`. */
  readonly root: string;
  /** Harness cache (kernels, accelerator verdict, boot times, logs); default `defaultCacheDir()`. */
  readonly cacheDir: string;
  /** `auto` (default) probes KVM with a short deadline and falls back to TCG. */
  readonly accelerator?: 'auto' | Accelerator;
  /** How long the KVM probe may take to reach userspace, ms; default 20 000. */
  readonly kvmDeadlineMs?: number;
  /** vCPUs per guest; default 1 under TCG (faster boots), 2 under KVM. */
  readonly cpus?: number;
  /** Guest RAM, MiB; default 1024. */
  readonly memoryMiB?: number;
  /** Boot deadline, ms; default four times the slowest recent boot of that kernel. */
  readonly bootTimeoutMs?: number;
  /** How long one guest may live (the whole run, or a watch session), ms; default two hours. */
  readonly sessionTimeoutMs?: number;
  /**
   * How long the guest's agent may stay silent (it speaks every 2 s) before the guest counts as hung
   * and is stopped, ms; default 120 000 under TCG, 30 000 under KVM.
   */
  readonly silenceTimeoutMs?: number;
  /**
   * Let a test file pass although the guest's kernel printed an Oops, BUG or WARNING while it ran; default
   * false: the file fails, quoting the lines.
   */
  readonly allowKernelWarnings?: boolean;
  /** Kernel catalogue; default the checked-in one. */
  readonly catalogue?: readonly KernelEntry[];
  /** vng binary; default `vng` on PATH. */
  readonly vng?: string;
}
