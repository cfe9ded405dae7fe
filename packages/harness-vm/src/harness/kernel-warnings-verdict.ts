import type { RunOutcome } from '../vm/run-outcome.js';

/**
 * A guest run's verdict once the kernel's Oops, BUG and WARNING headlines are counted: a run that exited
 * 0 while its kernel printed one fails (naming the first and how many), unless `allow` is set; any other
 * verdict is unchanged.
 */
export function kernelWarningsVerdict(
  verdict: { readonly outcome: RunOutcome; readonly reason: string },
  warnings: readonly string[],
  allow: boolean,
): { readonly outcome: RunOutcome; readonly reason: string } {
  if (verdict.outcome !== 'pass' || warnings.length === 0 || allow) return verdict;
  const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : '';
  return {
    outcome: 'fail',
    reason: `${verdict.reason}, but the kernel printed ${warnings[0]}${more}; allowKernelWarnings (--allow-kernel-warnings) accepts that`,
  };
}
