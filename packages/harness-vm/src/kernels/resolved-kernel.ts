import type { KernelVersion } from '@progrun/uapi';

/** A catalogue name resolved to an exact kernel. */
export interface ResolvedKernel {
  /** Catalogue name (`5.10`, `host`). */
  readonly name: string;
  readonly kind: 'debian' | 'host';
  /** `uname -r` of the kernel, e.g. `5.10.0-32-amd64`. */
  readonly release: string;
  /** Upstream version, from the package version (`5.10.223`) or the host's release. */
  readonly version: KernelVersion;
  /** Debian suite, package name, package version and the package's SHA-256 (debian kernels). */
  readonly suite?: string;
  readonly package?: string;
  readonly packageVersion?: string;
  readonly sha256?: string;
}

/** A resolved Debian kernel extracted in the cache, ready to boot. */
export interface ProvisionedKernel extends ResolvedKernel {
  readonly kind: 'debian';
  /** Content-addressed directory holding `boot/` and `lib/modules/<release>`. */
  readonly dir: string;
  /** `<dir>/boot/vmlinuz-<release>`, what `vng -r` boots. */
  readonly image: string;
}

/** The kernel's identity without local paths, as reports record it. */
export function toResolvedKernel(kernel: ResolvedKernel): ResolvedKernel {
  const { dir: _dir, image: _image, ...identity } = kernel as ProvisionedKernel;
  return identity;
}
