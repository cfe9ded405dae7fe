import { BpfProgType, type BpfProgTypeName, programTypeFromName, programTypeProfiles } from '@progrun/uapi';
import { usageError } from '../cli/cli-error.js';

/**
 * Reads a `--type` value: a `BpfProgType` name in any case (`xdp`, `SCHED_CLS`), with or without
 * `BPF_PROG_TYPE_`, or an alias of @progrun/uapi's program-type table (`tc`, `raw_tp`, `socket`, `fentry`).
 * @throws CliError (usage) naming the accepted values.
 */
export function parseProgramType(text: string): BpfProgTypeName {
  const name = programTypeFromName(text);
  if (name) return name;
  const names = programTypeProfiles.filter((p) => p.name !== 'UNSPEC').map((p) => p.name.toLowerCase());
  throw usageError(
    '--type',
    'a program type name',
    `unknown program type "${text}"; use one of ${names.join(', ')} (or tc, raw_tp, socket, fentry)`,
    'run',
  );
}

/** The `BpfProgType` name of a type number, or `TYPE_<n>` for one newer than the generated headers. */
export function programTypeName(type: number): string {
  const entry = Object.entries(BpfProgType).find(([, value]) => value === type);
  return entry ? entry[0] : `TYPE_${type}`;
}
