import { expectedBootMs } from '../accelerator/boot-times.js';
import { type AcceleratorVerdict, readAcceleratorVerdict } from '../accelerator/detect-accelerator.js';
import { arrayArgument } from '../util/argument-checks.js';
import { defaultCacheDir } from './cache-layout.js';
import { type KernelEntry, kernelCatalogue } from './catalogue.js';
import { listCachedKernels } from './provision-kernel.js';
import { resolveHostKernel } from './resolve-host-kernel.js';

/** A kernel release ready to run: extracted in the cache, or (for `host`) the running one. */
export interface InventoryRelease {
  /** `uname -r` of the kernel, e.g. `5.10.0-32-amd64`. */
  readonly release: string;
  /** The Debian package version it was extracted from; absent for `host`. */
  readonly packageVersion?: string;
  /**
   * The slowest recent boot to userspace under the cached accelerator, ms; absent before the first
   * boot, for `host`, and while no accelerator verdict is cached.
   */
  readonly expectedBootMs?: number;
}

/** One catalogue entry and what the cache holds for it. */
export interface InventoryKernel {
  /** Catalogue name (`host`, `5.10`...). */
  readonly name: string;
  /** Where the kernel comes from: `running kernel`, or `debian <suite> <meta package>`. */
  readonly source: string;
  /** Releases ready to run; empty until the entry's first provisioning. */
  readonly releases: readonly InventoryRelease[];
}

/** What {@link kernelInventory} returns. */
export interface KernelInventory {
  readonly cacheDir: string;
  /** The cached accelerator verdict, when it is still valid for this host boot. */
  readonly accelerator: AcceleratorVerdict | undefined;
  /** One per catalogue entry, in catalogue order. */
  readonly kernels: readonly InventoryKernel[];
}

/**
 * The kernel catalogue beside what the cache holds: which releases of each entry are extracted and
 * ready to boot, how long each took to boot recently, and which accelerator guests use. Reads the
 * cache only: nothing is downloaded, probed or booted.
 *
 * @throws nothing for a missing or partly written cache (it reads as empty).
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function kernelInventory(
  cacheDir: string = defaultCacheDir(),
  catalogue: readonly KernelEntry[] = kernelCatalogue,
): KernelInventory {
  arrayArgument('catalogue', catalogue);
  const cached = listCachedKernels(cacheDir);
  const accelerator = readAcceleratorVerdict(cacheDir);
  const kernels = catalogue.map((entry): InventoryKernel => {
    if (entry.kind === 'host') {
      return {
        name: entry.name,
        source: 'running kernel',
        releases: [{ release: resolveHostKernel().release }],
      };
    }
    const releases = cached
      .filter((kernel) => kernel.name === entry.name && kernel.suite === entry.suite)
      .map((kernel): InventoryRelease => {
        const bootMs = accelerator && expectedBootMs(cacheDir, kernel.release, accelerator.accelerator);
        return {
          release: kernel.release,
          ...(kernel.packageVersion === undefined ? {} : { packageVersion: kernel.packageVersion }),
          ...(bootMs === undefined ? {} : { expectedBootMs: bootMs }),
        };
      });
    return { name: entry.name, source: `debian ${entry.suite} ${entry.metaPackage}`, releases };
  });
  return { cacheDir, accelerator, kernels };
}
