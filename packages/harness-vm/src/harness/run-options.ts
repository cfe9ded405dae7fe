import type { KernelEntry } from '../kernels/catalogue.js';
import type { Accelerator } from '../vm/vng-arguments.js';
import type { HarnessEvent } from './harness-events.js';
import type { Shard } from './shard.js';

/** Options of {@link runKernels}. Only `kernels` and `command` are required. */
export interface RunKernelsOptions {
  /** Catalogue names (`host`, `5.10`, `6.1`, `6.12`), run in this order. Required, no duplicates. */
  readonly kernels: readonly string[];
  /** argv (quoted for sh) or a shell command line. Required. */
  readonly command: string | readonly string[];
  /**
   * Working directory of the command; default `process.cwd()`. Guests see the host's tree read-only,
   * except this directory, the home directory and XDG_CACHE_HOME: overlays whose writes vanish with
   * the guest.
   */
  readonly cwd?: string;
  /** Extra environment of the command. `PROGRUN_RESULTS_DIR` and `PROGRUN_KERNEL` are always set. */
  readonly env?: Readonly<Record<string, string>>;
  /** Command deadline, ms; default scaled to the boot time (at least 2 min), 10 min on the host. */
  readonly timeoutMs?: number;
  /** Boot deadline, ms; default four times the slowest recent boot of that kernel. */
  readonly bootTimeoutMs?: number;
  /** `auto` (default) probes KVM with a short deadline and falls back to TCG. */
  readonly accelerator?: 'auto' | Accelerator;
  /** How long the KVM probe may take to reach userspace, ms; default 20 000. */
  readonly kvmDeadlineMs?: number;
  /** Guests at once; default from cores and free memory (see `defaultConcurrency`). */
  readonly concurrency?: number;
  /** vCPUs per guest; default 1 under TCG (faster boots), 2 under KVM. */
  readonly cpus?: number;
  /** Guest RAM, MiB; default 1024. */
  readonly memoryMiB?: number;
  /** Cache directory; default `defaultCacheDir()`. */
  readonly cacheDir?: string;
  /** Where logs and reports go; default a new directory under `<cacheDir>/runs`. */
  readonly outDir?: string;
  /** Kernel catalogue; default the checked-in one. */
  readonly catalogue?: readonly KernelEntry[];
  /** Extra kernel command-line arguments for guests. */
  readonly kernelArgs?: readonly string[];
  /** Extra qemu arguments for guests. */
  readonly qemuArgs?: readonly string[];
  /** Run only this shard of `kernels`. */
  readonly shard?: Shard;
  /** Refresh package lists older than this, ms; default one day. */
  readonly listsMaxAgeMs?: number;
  /**
   * Count a guest run that exited 0 as a pass even when its kernel printed an Oops, BUG or WARNING
   * (they stay in `kernelWarnings`); default false: such a run fails.
   */
  readonly allowKernelWarnings?: boolean;
  /** vng binary; default `vng` on PATH. */
  readonly vng?: string;
  readonly signal?: AbortSignal;
  /** Lifecycle events: provisioning, accelerator, booting, running, result. */
  readonly onEvent?: (event: HarnessEvent) => void;
}
