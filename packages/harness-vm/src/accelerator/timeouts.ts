import { countArgument, objectArgument, stringArgument } from '../util/argument-checks.js';
import type { Accelerator } from '../vm/vng-arguments.js';

/** The three deadlines of a guest run, ms. */
export interface RunTimeouts {
  /** From start until userspace is reached. */
  readonly bootTimeoutMs: number;
  /** From userspace until the command exits. */
  readonly commandTimeoutMs: number;
  /** From the command's exit until the guest powers off. */
  readonly shutdownTimeoutMs: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Deadlines scaled to the kernel's measured boot time under the chosen accelerator: boot gets four
 * times the slowest recent boot (30 s to 10 min), the command ten times (at least 2 min) unless
 * given, shutdown one boot time (15 s to 2 min). Before any boot was measured: 2 min (KVM) or
 * 5 min (TCG) to boot.
 * @throws {ValidationError} naming an argument of the wrong kind.
 */
export function scaleTimeouts(
  accelerator: Accelerator,
  expectedBootMs: number | undefined,
  overrides: { bootTimeoutMs?: number; commandTimeoutMs?: number } = {},
): RunTimeouts {
  stringArgument('accelerator', accelerator);
  if (expectedBootMs !== undefined) countArgument('expectedBootMs', expectedBootMs);
  objectArgument('overrides', overrides, '{ bootTimeoutMs?, commandTimeoutMs? }');
  for (const key of ['bootTimeoutMs', 'commandTimeoutMs'] as const)
    if (overrides[key] !== undefined) countArgument(`overrides.${key}`, overrides[key]);
  const boot = expectedBootMs ?? (accelerator === 'kvm' ? 30_000 : 75_000);
  return {
    bootTimeoutMs: overrides.bootTimeoutMs ?? clamp(4 * boot, 30_000, 600_000),
    commandTimeoutMs: overrides.commandTimeoutMs ?? Math.max(120_000, 10 * boot),
    shutdownTimeoutMs: clamp(boot, 15_000, 120_000),
  };
}
