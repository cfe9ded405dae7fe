import { kernelInternalLayoutsByVersion } from './generated/kernel-internal-layouts.js';
import { latestHeaderVersion } from './header-version.js';

export { kernelInternalLayoutsByVersion };

/**
 * Layouts of the kernel-internal records a test run takes as its context, which no UAPI header
 * declares, as the newest kernel line lays them out: `kernelInternalLayouts.nf_hook_state` (a
 * NETFILTER run's ctx_in) and `kernelInternalLayouts.bpf_nf_ctx` (what a NETFILTER program sees).
 * Compiled from headers written from the BTF of Debian's kernels, in the shape of {@link layouts},
 * so `fieldOf`, `encode` and `decode` take them. A field's `firstHeaderSet` names the oldest kernel line
 * (one per header set) whose kernel has it at that offset (`nf_hook_state.hook` is a u8 from the 6.1 line,
 * an unsigned int in 5.10).
 * Minimum kernel: 6.4 for both records' use (NETFILTER programs).
 */
export const kernelInternalLayouts: (typeof kernelInternalLayoutsByVersion)[typeof latestHeaderVersion] =
  kernelInternalLayoutsByVersion[latestHeaderVersion];
