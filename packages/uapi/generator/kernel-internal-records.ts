import { join } from 'node:path';
import type { HeaderVersion } from './header-sets.js';
import { packageDir } from './paths.js';

/**
 * Kernel-internal records a test run takes as its context, which no UAPI header declares: NETFILTER
 * programs see a `struct bpf_nf_ctx` and take a `struct nf_hook_state` as ctx_in (6.4+).
 */
export const KERNEL_INTERNAL_RECORDS = ['struct nf_hook_state', 'struct bpf_nf_ctx'] as const;

/** The meta package whose dependency names a suite's current kernel image package. */
export const KERNEL_IMAGE_META_PACKAGE = 'linux-image-amd64';

/** Where the committed, pinned inputs live: one C header per kernel line, written from its BTF. */
export const kernelInternalHeaderDir = join(packageDir, 'kernel-internal');

/** The committed header of a kernel line (`kernel-internal/6.12.h`). */
export function kernelInternalHeaderPath(version: HeaderVersion): string {
  return join(kernelInternalHeaderDir, `${version}.h`);
}
