import { compareKernelVersions, type ErrnoName, tryParseKernelVersion, ValidationError } from '@progrun/uapi';
import { describe } from '../packet/field-checks.js';

/**
 * The kernel a context is built for: `'5.15'`, `'6.1.0-13-amd64'` (anything `uname -r` prints). Rules
 * that depend on the version reject what that kernel rejects. Absent: the newest rules.
 */
export type KernelTarget = string;

/** Checks that `target` is a kernel version string (or undefined). */
export function checkTarget(target: unknown): KernelTarget | undefined {
  if (target === undefined) return undefined;
  if (typeof target !== 'string' || tryParseKernelVersion(target) === undefined) {
    throw new ValidationError('target', 'kernel-version', {
      message: `expected a kernel version like '6.1', got ${describe(target)}`,
    });
  }
  return target;
}

/** True when `target` is absent or at least `min`. */
export function targetAtLeast(target: KernelTarget | undefined, min: string): boolean {
  return target === undefined || compareKernelVersions(target, min) >= 0;
}

/**
 * Throws a `min-kernel` {@link ValidationError} naming `field` when `target` is older than `min`.
 * @param kernelCode what the older kernel returns for this input
 */
export function requireKernel(
  target: KernelTarget | undefined,
  min: string,
  field: string,
  what: string,
  kernelCode: ErrnoName = 'EINVAL',
): void {
  if (!targetAtLeast(target, min)) {
    throw new ValidationError(field, 'min-kernel', {
      message: `${what} needs Linux ${min} or later (target ${target})`,
      kernelCode,
      minKernel: min,
    });
  }
}
