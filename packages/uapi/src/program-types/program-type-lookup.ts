import { ValidationError } from '../errors/validation-error.js';
import { BpfProgType, type BpfProgTypeName } from '../generated/enums.js';
import { compareKernelVersions } from '../kernel-version.js';
import type { KernelLimit, ProgramTypeProfile } from './program-type-profile.js';
import { programTypes } from './program-type-table.js';
import { verdictEnums } from './verdict-enums.js';

/** A program type's row of {@link programTypes} with its name and `enum bpf_prog_type` value. */
export type NamedProgramTypeProfile = ProgramTypeProfile & {
  readonly name: BpfProgTypeName;
  readonly value: number;
};

const byValue = new Map<number, NamedProgramTypeProfile>();
const byName = new Map<string, BpfProgTypeName>();
for (const [name, profile] of Object.entries(programTypes) as [BpfProgTypeName, ProgramTypeProfile][]) {
  byValue.set(BpfProgType[name], { ...profile, name, value: BpfProgType[name] });
  byName.set(name.toLowerCase(), name);
  for (const alias of profile.aliases) byName.set(alias, name);
}

/** Every program type's row with its name and value, in `enum bpf_prog_type` order. */
export const programTypeProfiles: readonly NamedProgramTypeProfile[] = [...byValue.values()].sort(
  (a, b) => a.value - b.value,
);

/**
 * The row of {@link programTypes} for a program type, by `enum bpf_prog_type` value or UAPI name;
 * undefined for a value newer than the generated headers.
 */
export function programTypeProfile(type: number | BpfProgTypeName): NamedProgramTypeProfile | undefined {
  return byValue.get(typeof type === 'number' ? type : BpfProgType[type]);
}

/**
 * The UAPI name of a program type as people write it: the name in any case, with or without
 * `BPF_PROG_TYPE_`, dashes for underscores, or an alias of the table (`tc`, `raw_tp`, `fentry`, `socket`).
 * Undefined when it names no type (and for `UNSPEC`).
 */
export function programTypeFromName(text: string): BpfProgTypeName | undefined {
  const key = text
    .trim()
    .replace(/^BPF_PROG_TYPE_/i, '')
    .replace(/-/g, '_')
    .toLowerCase();
  const name = byName.get(key);
  return name === 'UNSPEC' ? undefined : name;
}

/**
 * A program's return value by name for its type: `XDP_TX`, `TC_ACT_SHOT` (tc actions are signed:
 * 0xffffffff is `TC_ACT_UNSPEC`), `SK_PASS`, `BPF_OK`, `allow`. Undefined for types whose return value is a
 * plain number (raw tracepoints, SYSCALL, socket filters, which return a length) and for values without a
 * name.
 */
export function verdictName(type: number | BpfProgTypeName, retval: number): string | undefined {
  const verdicts = programTypeProfile(type)?.verdicts;
  if (verdicts === undefined) return undefined;
  const table = verdictEnums[verdicts];
  return table.names.get(table.signed ? retval | 0 : retval >>> 0);
}

/**
 * The limit of `limits` that applies to a kernel (`'6.1'`, `'6.12.48-amd64'`): the newest one whose `since`
 * it has reached or whose backport its stable line received; the newest limit when `kernel` is absent, the
 * oldest for a kernel older than every entry.
 * @throws {ValidationError} when `limits` is empty or `kernel` is not a kernel version.
 */
export function kernelLimitFor(limits: readonly KernelLimit[], kernel?: string): KernelLimit {
  if (limits.length === 0) throw new ValidationError('limits', 'a non-empty list', { received: limits });
  if (kernel === undefined) return limits[limits.length - 1]!;
  const line = /^\d+\.\d+/.exec(kernel)?.[0] ?? kernel;
  let chosen = limits[0]!;
  for (const limit of limits) {
    if (compareKernelVersions(kernel, limit.since) >= 0 || limit.backportedTo?.includes(line)) chosen = limit;
  }
  return chosen;
}
