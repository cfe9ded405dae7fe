import type { ResolvedKernel } from '../kernels/resolved-kernel.js';
import type { RunOutcome } from '../vm/run-outcome.js';
import type { Accelerator } from '../vm/vng-arguments.js';

/** The result of running one command on one kernel. */
export interface KernelRunResult {
  /** The exact kernel (catalogue name, release, package version); only the name when resolution failed. */
  readonly kernel: ResolvedKernel | { readonly name: string };
  /** `none` for the host kernel, or a guest whose VM never started. */
  readonly accelerator: Accelerator | 'none';
  readonly outcome: RunOutcome;
  /** One sentence on why (exit status, panic line, which deadline). */
  readonly reason: string;
  /** The command's exit status, when it finished. */
  readonly exitCode: number | undefined;
  /** Time to reach userspace, ms (guests). */
  readonly bootMs: number | undefined;
  /** Time the command ran, ms. */
  readonly commandMs: number | undefined;
  /** Provisioning, booting, running and tearing down, ms. */
  readonly totalMs: number;
  /** The deadlines that applied, ms. */
  readonly timeouts: { readonly boot?: number; readonly command: number };
  /** `Kernel panic - not syncing: ...`, when the kernel panicked. */
  readonly panic: string | undefined;
  /** Oops/BUG/WARNING headlines from the console. */
  readonly kernelWarnings: readonly string[];
  /** The console's last lines (guests). */
  readonly consoleTail: readonly string[];
  /** Files kept for this run. */
  readonly logs: {
    readonly dir: string;
    readonly console?: string;
    readonly stdout?: string;
    readonly stderr?: string;
    readonly results?: string;
  };
  /** The JSON files the command wrote into `PROGRUN_RESULTS_DIR`, parsed, by file name. */
  readonly guestResults: Readonly<Record<string, unknown>>;
}
