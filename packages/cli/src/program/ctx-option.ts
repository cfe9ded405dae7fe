import {
  FlowDissectorFlag,
  type SyscallContext,
  type SyscallFieldType,
  syscallStruct,
} from '@progrun/ctx-builders';
import type { BpfProgTypeName } from '@progrun/uapi';
import { usageError } from '../cli/cli-error.js';

/**
 * Reads `--ctx` (parsed JSON) as the fields of the context builder of a program of `typeName`: an
 * object of its fields, with XDP `metadata` as hex or a byte array, flow dissector `flags` as names, raw
 * tracepoint arguments as an array. `cpu` (from `--cpu`) goes to raw tracepoints' builder, which asks for
 * BPF_F_TEST_RUN_ON_CPU itself.
 * @throws CliError (usage) for a `--ctx` of the wrong shape.
 */
export function ctxFields(
  typeName: BpfProgTypeName,
  ctx: unknown,
  cpu: number | undefined,
): Record<string, unknown> {
  if (typeName === 'RAW_TRACEPOINT') {
    const object = Array.isArray(ctx) ? { args: ctx } : objectCtx(ctx, 'raw_tracepoint');
    const other = Object.keys(object).find((key) => key !== 'args');
    if (other !== undefined) {
      throw usageError(
        `--ctx.${other}`,
        'the tracepoint arguments',
        `--ctx of a raw tracepoint is its arguments, [0, 39] or {"args": [0, 39]}; "${other}" is not one of them`,
        'run',
      );
    }
    const { args } = object;
    return { args: args ?? [], ...(cpu === undefined ? {} : { cpu }) };
  }
  const fields = { ...objectCtx(ctx, 'context') };
  if (typeName === 'XDP') {
    if (Array.isArray(fields.metadata)) fields.metadata = Uint8Array.from(fields.metadata as number[]);
    else if (typeof fields.metadata === 'string') fields.metadata = hexBytes(fields.metadata, 'metadata');
  }
  if (typeName === 'FLOW_DISSECTOR' && Array.isArray(fields.flags)) fields.flags = flowFlags(fields.flags);
  return fields;
}

function objectCtx(ctx: unknown, what: string): Record<string, unknown> {
  if (ctx === undefined) return {};
  if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) {
    throw usageError(
      '--ctx',
      `a JSON object of ${what} fields`,
      `--ctx for this program type is a JSON object of ${what} fields, e.g. '{"mark": 7}'`,
      'run',
    );
  }
  for (const reserved of ['packet', 'progType']) {
    if (reserved in ctx)
      throw usageError(
        `--ctx.${reserved}`,
        'not-settable',
        `--ctx cannot set "${reserved}": it comes from the input packet and the program`,
        'run',
      );
  }
  return ctx as Record<string, unknown>;
}

const scalarTypes = new Set(['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'ptr']);

/**
 * SYSCALL programs take a struct the program declares itself: `--ctx` gives it field by field, in
 * declaration order, as `"type:value"` (`{"max_entries": "u32:8", "map_fd": "s32"}`; the value
 * defaults to 0). Undefined when `--ctx` names no field.
 * @throws CliError (usage) for a field that is not `"type:value"`.
 */
export function syscallInput(ctx: unknown): SyscallContext<Record<string, SyscallFieldType>> | undefined {
  const fields: Record<string, SyscallFieldType> = {};
  const values: Record<string, bigint> = {};
  for (const [name, spec] of Object.entries(objectCtx(ctx, 'SYSCALL argument struct'))) {
    const match =
      typeof spec === 'string' ? /^([us](?:8|16|32|64)|ptr)(?::(-?(?:0x[0-9a-f]+|\d+)))?$/i.exec(spec) : null;
    const type = match?.[1]?.toLowerCase();
    if (!match || !type || !scalarTypes.has(type)) {
      throw usageError(
        `--ctx.${name}`,
        '"type:value" with type u8..u64, s8..s64 or ptr',
        `--ctx field "${name}" of a SYSCALL program must be "type:value" with type u8..u64, s8..s64 or ptr (e.g. "u32:8")`,
        'run',
      );
    }
    fields[name] = type as SyscallFieldType;
    const raw = match[2] ?? '0';
    values[name] = raw.startsWith('-') ? -BigInt(raw.slice(1)) : BigInt(raw);
  }
  if (Object.keys(fields).length === 0) return undefined;
  return syscallStruct(fields).build(values);
}

/**
 * `--ctx` for a program type without a context builder: the raw context in hex, as a JSON string.
 * @throws CliError (usage) for anything else.
 */
export function rawCtx(ctx: unknown): { ctx?: Uint8Array } {
  if (ctx === undefined) return {};
  if (typeof ctx === 'string' && /^([0-9a-f]{2})*$/i.test(ctx)) return { ctx: Buffer.from(ctx, 'hex') };
  throw usageError(
    '--ctx',
    'the raw context in hex, as a JSON string',
    '--ctx for this program type is the raw context in hex, as a JSON string (e.g. \'"0100"\')',
    'run',
  );
}

function hexBytes(text: string, field: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(text))
    throw usageError(`--ctx.${field}`, 'hex bytes', `--ctx field "${field}" must be hex bytes`, 'run');
  return Buffer.from(text, 'hex');
}

function flowFlags(names: unknown[]): number {
  let flags = 0;
  for (const name of names) {
    const key = String(name)
      .toUpperCase()
      .replace(/^BPF_FLOW_DISSECTOR_F_/, '') as keyof typeof FlowDissectorFlag;
    const bit = FlowDissectorFlag[key];
    if (bit === undefined) {
      throw usageError(
        '--ctx.flags',
        'flow dissector flag names',
        `unknown flow dissector flag "${String(name)}"; use ${Object.keys(FlowDissectorFlag).join(', ')}`,
        'run',
      );
    }
    flags |= bit;
  }
  return flags;
}
