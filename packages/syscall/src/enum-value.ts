import { BpfAttachType, type BpfAttachTypeName, ValidationError } from '@progrun/uapi';
import { U32_MAX } from './validate.js';

/**
 * An enum argument given as its number or its name, with or without the kernel's prefix: for program
 * types `6`, `'XDP'` and `'BPF_PROG_TYPE_XDP'` are the same.
 * @throws {ValidationError} for an unknown name or a number out of u32 range.
 * @internal
 */
export function enumValue(
  field: string,
  value: unknown,
  table: Readonly<Record<string, number>>,
  prefix: string,
): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= U32_MAX) return value;
  if (typeof value === 'string') {
    const name = value.startsWith(prefix) ? value.slice(prefix.length) : value;
    const found = Object.hasOwn(table, name) ? table[name] : undefined;
    if (found !== undefined) return found;
  }
  throw new ValidationError(field, `a ${prefix}* name (e.g. '${Object.keys(table)[1]}') or its number`, {
    received: value,
  });
}

/** An attach type: the `enum bpf_attach_type` number or its name (`'SK_LOOKUP'`, `'BPF_SK_LOOKUP'`). */
export type AttachTypeInput = number | BpfAttachTypeName | `BPF_${BpfAttachTypeName}`;

/**
 * An attach type argument as its number.
 * @throws {ValidationError} for an unknown name or a number out of u32 range.
 * @internal
 */
export function attachTypeValue(field: string, value: unknown): number {
  return enumValue(field, value, BpfAttachType, 'BPF_');
}
