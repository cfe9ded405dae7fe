import { type BpfProgTypeName, programTypeProfile, ValidationError } from '@progrun/uapi';
import { type FlowKeysContext, type FlowKeysOptions, flowKeys } from './flow-keys.js';
import { type NetfilterContext, type NetfilterOptions, netfilterHookState } from './netfilter-hook-state.js';
import { type RawTracepointOptions, rawTracepointArgs } from './raw-tracepoint-args.js';
import { type SkBuffContext, type SkBuffOptions, skBuff } from './sk-buff.js';
import { type SkLookupContext, type SkLookupOptions, skLookup } from './sk-lookup.js';
import { type StructOpsArgsOptions, structOpsArgs } from './struct-ops-args.js';
import type { U64ArgsContext } from './u64-args.js';
import { type XdpMdContext, type XdpMdOptions, xdpMd } from './xdp-md.js';

/** Any context a builder of this package returns for a program type. */
export type ProgramTypeContext =
  | XdpMdContext
  | SkBuffContext
  | FlowKeysContext
  | SkLookupContext
  | U64ArgsContext
  | NetfilterContext;

/**
 * The typed test-run input of a program of `type`, built from `fields` (the packet and the context's
 * fields) by the builder its context calls for in @progrun/uapi's program-type table: `xdp_md` → `xdpMd`,
 * `__sk_buff` → `skBuff` (with `progType: type`), `bpf_flow_keys` → `flowKeys`, `bpf_sk_lookup` →
 * `skLookup`, raw tracepoint arguments → `rawTracepointArgs`, `nf_hook_state` → `netfilterHookState`,
 * STRUCT_OPS arguments → `structOpsArgs`. For a program whose type is known only at run time (a CLI, a
 * test table); with a known type, call the builder itself.
 *
 * Minimum kernel: the builder's.
 * @throws ValidationError naming `type` when it has no builder here (no test run, no context, or a
 *   SYSCALL struct the program declares itself: describe it with `syscallStruct`), else as the builder.
 */
export function testRunInputFor(
  type: BpfProgTypeName,
  fields: Readonly<Record<string, unknown>>,
): ProgramTypeContext {
  const context = programTypeProfile(type)?.testRun?.context;
  const layout = context?.layout;
  const struct = layout?.kind === 'uapi' || layout?.kind === 'kernel-internal' ? layout.struct : layout?.kind;
  switch (struct) {
    case 'xdp_md':
      return xdpMd(fields as unknown as XdpMdOptions);
    case '__sk_buff':
      return skBuff({ ...(fields as unknown as SkBuffOptions), progType: type as SkBuffOptions['progType'] });
    case 'bpf_flow_keys':
      return flowKeys(fields as unknown as FlowKeysOptions);
    case 'bpf_sk_lookup':
      return skLookup(fields as SkLookupOptions);
    case 'bpf_raw_tracepoint_args':
      return rawTracepointArgs(fields as unknown as RawTracepointOptions);
    case 'nf_hook_state':
      return netfilterHookState(fields as unknown as NetfilterOptions);
    case 'u64-args':
      return structOpsArgs(fields as unknown as StructOpsArgsOptions);
    default:
      throw new ValidationError('type', 'has-context-builder', {
        message:
          struct === 'program-defined'
            ? `${type} programs declare their own context struct: describe it with syscallStruct(fields).build(values)`
            : `${type} has no test-run context this package builds`,
      });
  }
}
