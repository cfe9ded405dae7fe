import type { RunKernelsOptions, RunReport } from '@progrun/harness-vm';
import { kernelCatalogue, parseShard } from '@progrun/harness-vm';
import { usageError } from '../../cli/cli-error.js';
import type { OptionsConfig } from '../../cli/command.js';
import { integerOption, stringOption, stringsOption } from '../../cli/option-values.js';

/** The flags `progrun vm run` and `progrun vm matrix` share. */
export const harnessFlags = {
  kernel: { type: 'string', multiple: true, short: 'k' },
  kernels: { type: 'string' },
  out: { type: 'string', short: 'o' },
  report: { type: 'string', multiple: true },
  shard: { type: 'string' },
  accelerator: { type: 'string' },
  concurrency: { type: 'string', short: 'j' },
  cpus: { type: 'string' },
  memory: { type: 'string' },
  timeout: { type: 'string' },
  'boot-timeout': { type: 'string' },
  append: { type: 'string', multiple: true },
  'cache-dir': { type: 'string' },
  'allow-kernel-warnings': { type: 'boolean' },
} as const satisfies OptionsConfig;

/** The help lines of {@link harnessFlags} (without --report, whose formats differ per command). */
export const harnessFlagsHelp = `  -k, --kernel NAME     a kernel (repeatable): ${kernelCatalogue.map((entry) => entry.name).join(', ')},
                        or a Debian image package (linux-image-7.2.13+deb14-amd64) or version (7.3.4)
                        that the Debian suites from sid to bullseye and experimental serve
      --kernels A,B     several kernels at once, in order (combines with --kernel)
  -o, --out DIR         keep logs and reports here (default: a new directory in the cache)
      --shard I/N       only every N-th kernel, starting at the I-th (CI job matrices)
      --accelerator A   auto (default: probe KVM briefly, fall back to TCG), kvm or tcg
  -j, --concurrency N   guests at once (default: from cores and free memory)
      --cpus N          vCPUs per guest (default 1 under TCG, 2 under KVM)
      --memory MIB      guest RAM (default 1024)
      --timeout S       command deadline, seconds (default: scaled to the boot time; 600 on the host)
      --boot-timeout S  boot deadline, seconds (default: 4x the slowest recent boot)
      --append ARG      an extra kernel command-line argument (repeatable)
      --allow-kernel-warnings
                        a guest run that exits 0 passes even when its kernel printed an Oops,
                        BUG or WARNING (default: it fails)
      --cache-dir DIR   kernels, accelerator verdict, boot times, recent runs
                        (default: $PROGRUN_CACHE/harness-vm or ~/.cache/progrun/harness-vm)`;

/** `--kernel a --kernel b` and `--kernels c,d` together, in that order; empty when neither is given. */
export function kernelNames(values: Record<string, unknown>): string[] {
  return [...stringsOption(values, 'kernel'), ...(stringOption(values, 'kernels')?.split(',') ?? [])]
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Seconds (fractions allowed) as whole milliseconds, or undefined when the option is absent. */
function secondsOption(values: Record<string, unknown>, name: string, command: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const ms = Math.round(Number(text) * 1000);
  if (text.trim() === '' || !Number.isSafeInteger(ms) || ms < 1) {
    throw usageError(
      `--${name}`,
      'a positive number of seconds',
      `--${name} must be a positive number of seconds, not "${text}"`,
      command,
    );
  }
  return ms;
}

/**
 * The {@link RunKernelsOptions} the shared flags stand for. Kernel names, the accelerator and the
 * combination of options are checked by the library, before anything is downloaded or booted.
 *
 * @throws CliError (usage) for a malformed number or shard, naming the flag.
 */
export function harnessOptions(
  values: Record<string, unknown>,
  command: string,
): Omit<RunKernelsOptions, 'kernels' | 'command'> {
  const shard = stringOption(values, 'shard');
  const accelerator = stringOption(values, 'accelerator');
  const concurrency = integerOption(values, 'concurrency', command, { min: 1, max: 64 });
  const cpus = integerOption(values, 'cpus', command, { min: 1, max: 64 });
  const memoryMiB = integerOption(values, 'memory', command, { min: 256, max: 1 << 20 });
  const timeoutMs = secondsOption(values, 'timeout', command);
  const bootTimeoutMs = secondsOption(values, 'boot-timeout', command);
  const outDir = stringOption(values, 'out');
  const cacheDir = stringOption(values, 'cache-dir');
  const kernelArgs = stringsOption(values, 'append');
  const allowKernelWarnings = values['allow-kernel-warnings'] === true;
  return {
    ...(allowKernelWarnings ? { allowKernelWarnings } : {}),
    ...(shard === undefined ? {} : { shard: parseShard(shard) }),
    ...(accelerator === undefined ? {} : { accelerator: accelerator as RunKernelsOptions['accelerator'] }),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(cpus === undefined ? {} : { cpus }),
    ...(memoryMiB === undefined ? {} : { memoryMiB }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(bootTimeoutMs === undefined ? {} : { bootTimeoutMs }),
    ...(outDir === undefined ? {} : { outDir }),
    ...(cacheDir === undefined ? {} : { cacheDir }),
    ...(kernelArgs.length === 0 ? {} : { kernelArgs }),
  };
}

/**
 * The line a run whose shard selected no kernel prints instead of tables (CI matrices with more shards
 * than kernels have such jobs), or undefined when kernels ran.
 */
export function emptyShardLine(report: RunReport): string | undefined {
  if (report.results.length > 0) return undefined;
  const shard = report.shard ? `--shard ${report.shard.index}/${report.shard.count}` : 'the shard';
  return `${shard} selects none of the ${report.kernels.length} kernels asked for (${report.kernels.join(', ')}): nothing ran`;
}
