import { availableParallelism, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { expectedBootMs, recordBootMs } from '../accelerator/boot-times.js';
import { type AcceleratorVerdict, detectAccelerator } from '../accelerator/detect-accelerator.js';
import { scaleTimeouts } from '../accelerator/timeouts.js';
import { abortError } from '../errors.js';
import { runOnHost } from '../host/run-on-host.js';
import { defaultCacheDir } from '../kernels/cache-layout.js';
import type { KernelEntry } from '../kernels/catalogue.js';
import { cachedImageDamage, provisionKernel } from '../kernels/provision-kernel.js';
import { resolveHostKernel } from '../kernels/resolve-host-kernel.js';
import { type ProvisionedKernel, type ResolvedKernel, toResolvedKernel } from '../kernels/resolved-kernel.js';
import { writeJsonFile } from '../util/json-file.js';
import { guestOverlayDirs } from '../vm/guest-overlays.js';
import { missingGuestTools } from '../vm/preflight.js';
import { runInVm } from '../vm/run-in-vm.js';
import { defaultConcurrency, settleWithLimit } from './concurrency.js';
import type { HarnessEvent } from './harness-events.js';
import type { KernelRunResult } from './kernel-run-result.js';
import { kernelWarningsVerdict } from './kernel-warnings-verdict.js';
import { kernelDirName, prepareOutDir } from './output-dir.js';
import type { RunKernelsOptions } from './run-options.js';
import { type Shard, selectShard } from './shard.js';
import { validateRunOptions } from './validate-run-options.js';

/** Everything a {@link runKernels} call produced. Also written to `<outDir>/report.json`. */
export interface RunReport {
  readonly startedAt: string;
  readonly totalMs: number;
  readonly command: string | readonly string[];
  /** The kernels asked for, before sharding. */
  readonly kernels: readonly string[];
  readonly host: { readonly release: string; readonly cores: number; readonly memoryMiB: number };
  /** How guests ran; undefined when only `host` was asked for. */
  readonly accelerator: AcceleratorVerdict | undefined;
  readonly concurrency: number;
  readonly shard: Shard | undefined;
  readonly outDir: string;
  /** One per kernel of the shard, in the order asked for; none when the shard selects no kernel. */
  readonly results: readonly KernelRunResult[];
}

const hostTimeoutMs = 600_000;

/**
 * Runs one command on each of several kernels and classifies each run (pass, fail, timeout,
 * panic, boot failure, infrastructure error). Debian kernels are provisioned into the cache and
 * booted with virtme-ng, as many at once as `concurrency` allows; `host` runs directly on the
 * running kernel. Every run's console, stdout, stderr and results are kept under `outDir`. No
 * qemu process or temporary directory survives the call, also when `signal` aborts.
 *
 * Failures of the command or the kernel are results, not exceptions; a kernel that cannot be
 * provisioned yields an `infra-error` result and the others still run.
 *
 * @throws {ValidationError} for bad options or an unknown kernel (before any work),
 *   the signal's reason when aborted.
 */
export async function runKernels(options: RunKernelsOptions): Promise<RunReport> {
  const entries = selectShard(validateRunOptions(options), options.shard);
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  const emit = (event: HarnessEvent) => options.onEvent?.(event);
  const startedAt = new Date();
  const started = performance.now();
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const outDir = prepareOutDir(options.outDir, cacheDir);
  const cwd = options.cwd ?? process.cwd();
  const memoryMiB = options.memoryMiB ?? 1024;

  const resolved = await Promise.allSettled(
    entries.map(async (entry) => {
      const t0 = performance.now();
      const kernel =
        entry.kind === 'host'
          ? resolveHostKernel()
          : await provisionKernel(entry, {
              cacheDir,
              listsMaxAgeMs: options.listsMaxAgeMs,
              signal,
              onStep: (step, detail) => emit({ type: 'provisioning', kernel: entry.name, step, detail }),
            });
      return { kernel, provisionMs: performance.now() - t0 };
    }),
  );
  if (signal?.aborted) throw abortError(signal);

  const guests = resolved.flatMap((r) =>
    r.status === 'fulfilled' && r.value.kernel.kind === 'debian' ? [r.value.kernel as ProvisionedKernel] : [],
  );
  const missing = guests.length > 0 ? missingGuestTools(options.vng) : undefined;
  let verdict: AcceleratorVerdict | undefined;
  if (guests.length > 0 && !missing) {
    verdict = await chooseAccelerator(options, cacheDir, guests[0]!, emit);
  }
  // Under TCG a second vCPU slows the boot down (measured: 24 s with one, 35 s with two, for
  // 5.10 on 2 cores); one vCPU per guest and more guests at once use the cores better.
  const cpus = options.cpus ?? (verdict?.accelerator === 'kvm' ? Math.min(2, availableParallelism()) : 1);
  const concurrency = options.concurrency ?? defaultConcurrency(cpus, memoryMiB);

  const tasks = entries.map((entry, position) => async (): Promise<KernelRunResult> => {
    const outcome = resolved[position]!;
    const logDir = join(outDir, kernelDirName(entry.name));
    const result =
      outcome.status === 'rejected'
        ? infraResult(entry, logDir, `provisioning failed: ${(outcome.reason as Error).message}`)
        : outcome.value.kernel.kind === 'host'
          ? await runHostKernel(outcome.value.kernel, options, cwd, logDir, emit)
          : missing
            ? infraResult(entry, logDir, missing, outcome.value.kernel)
            : await runGuestKernel(outcome.value.kernel as ProvisionedKernel, {
                options,
                cacheDir,
                cwd,
                cpus,
                memoryMiB,
                logDir,
                verdict: verdict!,
                emit,
              });
    const withProvisioning =
      outcome.status === 'fulfilled'
        ? { ...result, totalMs: result.totalMs + outcome.value.provisionMs }
        : result;
    writeJsonFile(join(logDir, 'result.json'), withProvisioning);
    emit({ type: 'result', kernel: entry.name, result: withProvisioning });
    return withProvisioning;
  });
  const hostPositions = entries.flatMap((entry, i) => (entry.kind === 'host' ? [i] : []));
  const guestPositions = entries.flatMap((entry, i) => (entry.kind === 'host' ? [] : [i]));
  // The host run costs no VM slot; it runs beside the guests.
  const [hostSettled, guestSettled] = await Promise.all([
    settleWithLimit(
      hostPositions.map((i) => tasks[i]!),
      1,
    ),
    settleWithLimit(
      guestPositions.map((i) => tasks[i]!),
      concurrency,
    ),
  ]);
  if (signal?.aborted) throw abortError(signal);
  // Results go back to the positions asked for: one per requested kernel, whatever name a cache holds it by.
  const results: KernelRunResult[] = new Array(entries.length);
  for (const [settled, positions] of [
    [hostSettled, hostPositions],
    [guestSettled, guestPositions],
  ] as const) {
    settled.forEach((outcome, k) => {
      if (outcome.status === 'rejected') throw outcome.reason;
      results[positions[k]!] = outcome.value;
    });
  }
  const report: RunReport = {
    startedAt: startedAt.toISOString(),
    totalMs: performance.now() - started,
    command: options.command,
    kernels: [...options.kernels],
    host: { release: release(), cores: availableParallelism(), memoryMiB: Math.round(totalmem() / 2 ** 20) },
    accelerator: verdict,
    concurrency,
    shard: options.shard,
    outDir,
    results,
  };
  writeJsonFile(join(outDir, 'report.json'), report);
  return report;
}

async function chooseAccelerator(
  options: RunKernelsOptions,
  cacheDir: string,
  kernel: ProvisionedKernel,
  emit: (event: HarnessEvent) => void,
): Promise<AcceleratorVerdict> {
  const forced = options.accelerator ?? 'auto';
  if (forced !== 'auto') {
    const verdict: AcceleratorVerdict = {
      accelerator: forced,
      reason: 'chosen by the caller',
      cached: false,
      key: 'forced',
      decidedAt: new Date().toISOString(),
    };
    emit({ type: 'accelerator', phase: 'decided', verdict });
    return verdict;
  }
  const verdict = await detectAccelerator({
    cacheDir,
    kernel,
    kvmDeadlineMs: options.kvmDeadlineMs,
    vng: options.vng,
    signal: options.signal,
    onProbe: () => emit({ type: 'accelerator', phase: 'probing' }),
  });
  emit({ type: 'accelerator', phase: 'decided', verdict });
  return verdict;
}

function kernelEnv(options: RunKernelsOptions, kernel: ResolvedKernel): Record<string, string> {
  return { ...options.env, PROGRUN_KERNEL: kernel.name, PROGRUN_KERNEL_RELEASE: kernel.release };
}

async function runHostKernel(
  kernel: ResolvedKernel,
  options: RunKernelsOptions,
  cwd: string,
  logDir: string,
  emit: (event: HarnessEvent) => void,
): Promise<KernelRunResult> {
  const timeoutMs = options.timeoutMs ?? hostTimeoutMs;
  emit({
    type: 'booting',
    kernel: kernel.name,
    release: kernel.release,
    accelerator: 'none',
    bootTimeoutMs: 0,
  });
  emit({ type: 'running', kernel: kernel.name, bootMs: 0 });
  const record = await runOnHost({
    command: options.command,
    cwd,
    env: kernelEnv(options, kernel),
    timeoutMs,
    logDir,
    signal: options.signal,
  });
  return {
    kernel,
    accelerator: 'none',
    outcome: record.outcome,
    reason: record.reason,
    exitCode: record.exitCode,
    bootMs: undefined,
    commandMs: record.commandMs,
    totalMs: record.commandMs,
    timeouts: { command: timeoutMs },
    panic: undefined,
    kernelWarnings: [],
    consoleTail: [],
    logs: { dir: logDir, ...record.files },
    guestResults: record.guestResults,
  };
}

async function runGuestKernel(
  kernel: ProvisionedKernel,
  context: {
    options: RunKernelsOptions;
    cacheDir: string;
    cwd: string;
    cpus: number;
    memoryMiB: number;
    logDir: string;
    verdict: AcceleratorVerdict;
    emit: (event: HarnessEvent) => void;
  },
): Promise<KernelRunResult> {
  const { options, cacheDir, emit } = context;
  const { accelerator } = context.verdict;
  const timeouts = scaleTimeouts(accelerator, expectedBootMs(cacheDir, kernel.release, accelerator), {
    bootTimeoutMs: options.bootTimeoutMs,
    commandTimeoutMs: options.timeoutMs,
  });
  emit({
    type: 'booting',
    kernel: kernel.name,
    release: kernel.release,
    accelerator,
    bootTimeoutMs: timeouts.bootTimeoutMs,
  });
  const record = await runInVm({
    image: kernel.image,
    expectedRelease: kernel.release,
    accelerator,
    command: options.command,
    cwd: context.cwd,
    env: kernelEnv(options, kernel),
    cpus: context.cpus,
    memoryMiB: context.memoryMiB,
    ...timeouts,
    logDir: context.logDir,
    kernelArgs: options.kernelArgs,
    qemuArgs: options.qemuArgs,
    overlayDirs: guestOverlayDirs(context.cwd),
    vng: options.vng,
    signal: options.signal,
    onRunning: (bootMs) => emit({ type: 'running', kernel: kernel.name, bootMs }),
    imageDamage: () => cachedImageDamage(kernel),
  });
  // Only boots that reached userspace without extra arguments say how long this kernel takes.
  if (record.bootMs !== undefined && !options.kernelArgs?.length && !options.qemuArgs?.length) {
    recordBootMs(cacheDir, kernel.release, accelerator, record.bootMs);
  }
  const { outcome, reason } = kernelWarningsVerdict(
    record,
    record.console.warnings,
    options.allowKernelWarnings ?? false,
  );
  return {
    kernel: toResolvedKernel(kernel),
    accelerator,
    outcome,
    reason,
    exitCode: record.exitCode,
    bootMs: record.bootMs,
    commandMs: record.commandMs,
    totalMs: record.totalMs,
    timeouts: { boot: timeouts.bootTimeoutMs, command: timeouts.commandTimeoutMs },
    panic: record.console.panic,
    kernelWarnings: record.console.warnings,
    consoleTail: record.console.tail,
    logs: { dir: context.logDir, ...record.files },
    guestResults: record.guestResults,
  };
}

function infraResult(
  entry: KernelEntry,
  logDir: string,
  reason: string,
  kernel?: ResolvedKernel,
): KernelRunResult {
  writeJsonFile(join(logDir, 'error.json'), { reason });
  return {
    kernel: kernel ? toResolvedKernel(kernel) : { name: entry.name },
    accelerator: 'none',
    outcome: 'infra-error',
    reason,
    exitCode: undefined,
    bootMs: undefined,
    commandMs: undefined,
    totalMs: 0,
    timeouts: { command: 0 },
    panic: undefined,
    kernelWarnings: [],
    consoleTail: [],
    logs: { dir: logDir },
    guestResults: {},
  };
}
