import { HarnessError } from '@progrun/harness-vm';
import { ValidationError } from '@progrun/uapi';
import { CliError, usageErrorOf } from '../../cli/cli-error.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { asFlagError } from '../../cli/flag-error.js';
import type { Output } from '../../cli/output.js';

/** harness-vm's option names and the flags that set them. */
const harnessFlagOf: Readonly<Record<string, string>> = {
  kernels: '--kernels',
  accelerator: '--accelerator',
  shard: '--shard',
  concurrency: '--concurrency',
  cpus: '--cpus',
  memoryMiB: '--memory',
  timeoutMs: '--timeout',
  bootTimeoutMs: '--boot-timeout',
  outDir: '--out',
  cacheDir: '--cache-dir',
  kernelArgs: '--append',
  strict: '--strict',
};

/**
 * Runs a vm command's work with @progrun/harness-vm and turns what the harness throws into CLI errors:
 * bad options and unknown kernels are usage errors (exit 2), any other harness error fails the command
 * (exit 1), and an interrupt (SIGINT, SIGTERM: `signal` aborts) ends with exit 130 once the harness has
 * stopped its guests and removed their directories. The interrupt is announced at once on stderr,
 * because stopping guests takes a moment.
 *
 * @throws CliError as above; other errors unchanged.
 */
export async function harnessCall<T>(
  command: string,
  signal: AbortSignal,
  out: Output,
  work: () => Promise<T>,
): Promise<T> {
  const announce = () => {
    const reason = signal.reason instanceof Error ? signal.reason.message : 'interrupted';
    if (!out.json) out.errorLine(`progrun: ${reason}: stopping guests and cleaning up...`);
  };
  signal.addEventListener('abort', announce, { once: true });
  try {
    return await work();
  } catch (error) {
    if (signal.aborted) {
      throw new CliError('interrupted', ExitCode.Interrupted, 'interrupted; no guest was left running', {
        cause: error,
      });
    }
    if (ValidationError.isInstance(error)) {
      const named = asFlagError(error, harnessFlagOf, command);
      throw CliError.isInstance(named) ? named : usageErrorOf(error, command);
    }
    if (!HarnessError.isInstance(error)) throw error;
    throw new CliError('harness', ExitCode.RunFailed, error.message, {
      hint: 'Guests need virtme-ng, qemu-system-x86 and udev (`bash scripts/setup.sh` installs them); the logs of the run are in its --out directory.',
      cause: error,
    });
  } finally {
    signal.removeEventListener('abort', announce);
  }
}
