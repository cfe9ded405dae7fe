import {
  arrayArgument,
  numberArgument,
  objectArgument,
  stringArgument,
} from '../arguments/argument-checks.js';
import { ValidationError } from '../errors/validation-error.js';
import { BpfProgType, type BpfProgTypeName } from '../generated/enums.js';
import { compareKernelVersions } from '../kernel-version.js';
import type { KernelLimit, ProgramTypeProfile, RetvalConvention } from './program-type-profile.js';
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
 * @throws {ValidationError} when `type` is neither a number nor a UAPI name (`'XDP'`, `'SCHED_CLS'`).
 */
export function programTypeProfile(type: number | BpfProgTypeName): NamedProgramTypeProfile | undefined {
  if (typeof type === 'number') return byValue.get(type);
  if (typeof type !== 'string' || !Object.hasOwn(BpfProgType, type))
    throw new ValidationError('type', "an enum bpf_prog_type value or UAPI name ('XDP')", { received: type });
  return byValue.get(BpfProgType[type]);
}

/**
 * The UAPI name of a program type as people write it: the name in any case, with or without
 * `BPF_PROG_TYPE_`, dashes for underscores, or an alias of the table (`tc`, `raw_tp`, `fentry`, `socket`).
 * Undefined when it names no type (and for `UNSPEC`).
 * @throws {ValidationError} when `text` is not a string.
 */
export function programTypeFromName(text: string): BpfProgTypeName | undefined {
  const key = stringArgument('text', text)
    .trim()
    .replace(/^BPF_PROG_TYPE_/i, '')
    .replace(/-/g, '_')
    .toLowerCase();
  const name = byName.get(key);
  return name === 'UNSPEC' ? undefined : name;
}

/** What a FLOW_DISSECTOR run's retval 0 says on kernels that report only whether the program said BPF_OK. */
export const NOT_BPF_OK = 'not BPF_OK';

/**
 * A program's return value by name for its type: `XDP_TX`, `TC_ACT_SHOT` (tc actions are signed:
 * 0xffffffff is `TC_ACT_UNSPEC`), `SK_PASS`, `BPF_OK`, `allow`. Undefined for types whose return value is a
 * plain number (raw tracepoints, SYSCALL, socket filters, which return a length) and for values without a
 * name.
 *
 * With `kernel` (`'5.10'`, a release such as `'6.1.0-50-amd64'`), `retval` is read as a test run on that
 * kernel reports it ({@link retvalConventionFor}): a FLOW_DISSECTOR run before 6.1 answers 1 for `BPF_OK`
 * and 0 for any other verdict, named {@link NOT_BPF_OK}.
 * @throws {ValidationError} when `kernel` is not a kernel version, `type` not a program type's value or
 *   name, `retval` not a number.
 */
export function verdictName(
  type: number | BpfProgTypeName,
  retval: number,
  kernel?: string,
): string | undefined {
  const profile = programTypeProfile(type);
  numberArgument('retval', retval);
  if (kernel !== undefined) stringArgument('kernel', kernel);
  const verdicts = profile?.verdicts;
  if (verdicts === undefined) return undefined;
  if (kernel !== undefined && retvalConventionFor(profile!.name, kernel).retval === 'is-bpf-ok') {
    return retval === 1 ? 'BPF_OK' : retval === 0 ? NOT_BPF_OK : undefined;
  }
  const table = verdictEnums[verdicts];
  return table.names.get(table.signed ? retval | 0 : retval >>> 0);
}

/** The convention of every program type and kernel without one of its own: retval is what the program returned. */
const RETURNED: RetvalConvention = {
  since: '4.12',
  retval: 'returned',
  because: "the test run reports the program's return value",
};

/**
 * How a test run of `type` on `kernel` reports the program's return value (the table's
 * `retvalConventions`, chosen as {@link kernelLimitFor} chooses limits); the newest convention without
 * `kernel`. Types without conventions report the return value itself.
 * @throws {ValidationError} when `kernel` is not a kernel version or `type` not a program type's value or name.
 */
export function retvalConventionFor(type: number | BpfProgTypeName, kernel?: string): RetvalConvention {
  const conventions = programTypeProfile(type)?.testRun?.retvalConventions;
  return conventions === undefined ? RETURNED : kernelLimitFor(conventions, kernel);
}

/**
 * The limit of `limits` that applies to a kernel (`'6.1'`, `'6.12.48-amd64'`): the newest one whose `since`
 * it has reached or whose backport its stable line received; the newest limit when `kernel` is absent, the
 * oldest for a kernel older than every entry.
 * @throws {ValidationError} when `limits` is not a non-empty array of `{ since, backportedTo? }` (a kernel
 *   version and an array of stable lines), or `kernel` is not a kernel version.
 */
export function kernelLimitFor<L extends Pick<KernelLimit, 'since' | 'backportedTo'> = KernelLimit>(
  limits: readonly L[],
  kernel?: string,
): L {
  if (arrayArgument('limits', limits).length === 0)
    throw new ValidationError('limits', 'a non-empty list', { received: limits });
  if (kernel === undefined) return limits[limits.length - 1]!;
  stringArgument('kernel', kernel);
  const line = /^\d+\.\d+/.exec(kernel)?.[0] ?? kernel;
  let chosen = limits[0]!;
  for (const [i, limit] of limits.entries()) {
    objectArgument(`limits[${i}]`, limit, '{ since, backportedTo? }, not a Proxy');
    if (limit.backportedTo !== undefined) arrayArgument(`limits[${i}].backportedTo`, limit.backportedTo);
    if (
      compareKernelVersions(kernel, stringArgument(`limits[${i}].since`, limit.since)) >= 0 ||
      limit.backportedTo?.includes(line)
    )
      chosen = limit;
  }
  return chosen;
}
