import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cachePaths } from '../kernels/cache-layout.js';
import type { ProvisionedKernel } from '../kernels/resolved-kernel.js';
import { acquireFileLock } from '../util/file-lock.js';
import { findOnPath } from '../util/find-on-path.js';
import { readJsonFile, writeJsonFile } from '../util/json-file.js';
import { runInVm } from '../vm/run-in-vm.js';
import type { Accelerator } from '../vm/vng-arguments.js';

/** Which accelerator guests use, and why. */
export interface AcceleratorVerdict {
  readonly accelerator: Accelerator;
  readonly reason: string;
  /** True when the verdict came from the cache rather than a probe boot now. */
  readonly cached: boolean;
  /** What the verdict is valid for: the host's boot id and the qemu binary. */
  readonly key: string;
  readonly decidedAt: string;
  /** Duration of the KVM probe boot, when one ran. */
  readonly probeMs?: number;
}

/** Options of {@link detectAccelerator}. */
export interface DetectAcceleratorOptions {
  readonly cacheDir: string;
  /** A kernel to boot for the KVM probe. */
  readonly kernel: ProvisionedKernel;
  /** How long a KVM guest may take to reach userspace before KVM is declared hung; default 20 s. */
  readonly kvmDeadlineMs?: number;
  /** Ignore a cached verdict and probe again. */
  readonly refresh?: boolean;
  readonly vng?: string;
  readonly signal?: AbortSignal;
  /** Called before a probe boot starts. */
  readonly onProbe?: () => void;
}

/**
 * Chooses KVM or TCG for guests. No usable `/dev/kvm` means TCG at once. Otherwise a guest is
 * booted under KVM with a short deadline: a KVM that opens but hangs (nested guests stopping after
 * "Probing EDD") or fails (qemu aborting on an MSR it cannot set) is caught in seconds and TCG is
 * chosen. The verdict is cached per host boot and qemu binary, so later runs pay nothing.
 *
 * @throws {HarnessError} `ABORTED` when `signal` fires.
 */
export async function detectAccelerator(options: DetectAcceleratorOptions): Promise<AcceleratorVerdict> {
  const key = verdictKey();
  const path = cachePaths.accelerator(options.cacheDir);
  const fromCache = () => (options.refresh ? undefined : readAcceleratorVerdict(options.cacheDir));
  const early = fromCache();
  if (early) return early;
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch (error) {
    return decide('tcg', `/dev/kvm is not usable (${(error as NodeJS.ErrnoException).code})`);
  }
  await using _lock = await acquireFileLock(cachePaths.lock(options.cacheDir, 'accelerator'), options.signal);
  const decided = fromCache();
  if (decided) return decided;
  options.onProbe?.();
  const deadline = options.kvmDeadlineMs ?? 20_000;
  const probe = await runInVm({
    image: options.kernel.image,
    expectedRelease: options.kernel.release,
    accelerator: 'kvm',
    command: 'true',
    cwd: '/',
    cpus: 1,
    memoryMiB: 512,
    bootTimeoutMs: deadline,
    commandTimeoutMs: deadline,
    shutdownTimeoutMs: deadline,
    logDir: join(options.cacheDir, 'accelerator-probe'),
    vng: options.vng,
    signal: options.signal,
  });
  if (probe.outcome === 'pass') {
    return decide(
      'kvm',
      `a KVM guest reached userspace in ${Math.round(probe.bootMs ?? 0)} ms`,
      probe.totalMs,
    );
  }
  return decide('tcg', `KVM is unusable: ${probe.outcome}: ${probe.reason}`, probe.totalMs);

  function decide(accelerator: Accelerator, reason: string, probeMs?: number): AcceleratorVerdict {
    const verdict = { accelerator, reason, cached: false, key, decidedAt: new Date().toISOString(), probeMs };
    writeJsonFile(path, verdict);
    return verdict;
  }
}

/** The cached verdict, if it is still valid for this host boot and qemu binary. */
export function readAcceleratorVerdict(cacheDir: string): AcceleratorVerdict | undefined {
  const cached = readJsonFile<AcceleratorVerdict>(cachePaths.accelerator(cacheDir));
  return cached?.key === verdictKey() ? { ...cached, cached: true } : undefined;
}

function verdictKey(): string {
  const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const qemu = findOnPath('qemu-system-x86_64');
  const stamp = qemu ? `${qemu}@${statSync(qemu).mtimeMs}` : 'no-qemu';
  return `${bootId}|${stamp}`;
}
