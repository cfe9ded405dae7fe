import {
  FlowDissectorFlag,
  flowKeys,
  rawTracepointArgs,
  type SkbProgType,
  type SyscallFieldType,
  skBuff,
  skLookup,
  syscallStruct,
  xdpMd,
} from '@progrun/ctx-builders';
import { kernelOlderThan, type RunOptions, type RunResult } from '@progrun/syscall';
import { BPF_F_TEST_RUN_ON_CPU, programTypeProfiles } from '@progrun/uapi';
import { usageError } from '../cli/cli-error.js';

/** What a run produced, decoded for the program's type. */
export interface RunOutputs {
  /** The packet after the run (without XDP metadata), for packet programs. */
  readonly packet?: Uint8Array;
  /** XDP metadata the program left in front of the packet (bpf_xdp_adjust_meta). */
  readonly metadata?: Uint8Array;
  /** The context after the run, decoded field by field. */
  readonly ctx?: Readonly<Record<string, unknown>>;
  /** FLOW_DISSECTOR: the flow keys the program filled in. */
  readonly flowKeys?: Readonly<Record<string, unknown>>;
}

/** One test run, ready to go: the options for Program.run and how to read its result. */
export interface PreparedRun {
  /** The options for `program.run()`. */
  readonly options: RunOptions;
  /** The input packet, for packet programs. */
  readonly packet: Uint8Array | undefined;
  /** The context as sent, decoded, when one is sent. */
  readonly ctxIn: Readonly<Record<string, unknown>> | undefined;
  /** Decodes the run's outputs. */
  outputs(result: RunResult): RunOutputs;
}

/** The run parameters common to every packet. */
export interface RunParameters {
  /** `--ctx`, parsed from JSON. */
  readonly ctx: unknown;
  readonly repeat: number | undefined;
  readonly flags: number | undefined;
  readonly cpu: number | undefined;
}

/** The skb program types (their test run's context is `__sk_buff`). */
const skbTypes: ReadonlySet<string> = new Set(
  programTypeProfiles
    .filter((p) => {
      const layout = p.testRun?.context?.layout;
      return layout?.kind === 'uapi' && layout.struct === '__sk_buff';
    })
    .map((p) => p.name),
);

/** Program types whose test run takes a packet. */
export function takesPacket(typeName: string): boolean {
  return programTypeProfiles.some((p) => p.name === typeName && p.testRun?.data === 'required');
}

/**
 * Builds the run of a program of `typeName` on one packet (or none) with the `--ctx` object, through the
 * context builders, so that the kernel's rules are checked before the syscall and the outputs come back
 * decoded: XDP gets an `xdp_md` (from Linux 5.15) so that metadata and packet can be told apart in the
 * output; skb programs an `__sk_buff`; FLOW_DISSECTOR its flags; SK_LOOKUP, RAW_TRACEPOINT and SYSCALL
 * their context from `--ctx` alone.
 * @throws CliError (usage) for a `--ctx` of the wrong shape; ContextValidationError for a field the
 *   kernel would reject.
 */
export function prepareRun(
  typeName: string,
  packet: Uint8Array | undefined,
  params: RunParameters,
): PreparedRun {
  const common: RunOptions = {
    ...(params.repeat === undefined ? {} : { repeat: params.repeat }),
    ...(params.flags === undefined ? {} : { flags: params.flags }),
    ...(params.cpu === undefined ? {} : { cpu: params.cpu }),
  };
  const ctx = params.ctx;

  if (typeName === 'XDP' && packet) {
    if (ctx === undefined && kernelOlderThan('5.15')) {
      return {
        options: { ...common, data: packet },
        packet,
        ctxIn: undefined,
        outputs: (r) => ({ packet: r.dataOut }),
      };
    }
    const fields = objectCtx(ctx, 'xdp_md');
    const metadata = fields.metadata;
    const built = xdpMd({
      ...fields,
      ...(Array.isArray(metadata) ? { metadata: Uint8Array.from(metadata as number[]) } : {}),
      ...(typeof metadata === 'string' ? { metadata: hexBytes(metadata, 'metadata') } : {}),
      packet,
    });
    return {
      options: { ...common, data: built.dataIn, ctx: built.ctxIn },
      packet,
      ctxIn: { ...built.fields },
      outputs: (r) => {
        if (!r.dataOut || !r.ctxOut) return { packet: r.dataOut };
        const { metadata, packet: out } = built.split(r.dataOut, r.ctxOut);
        return { packet: out, metadata, ctx: { ...built.decode(r.ctxOut) } };
      },
    };
  }
  if (skbTypes.has(typeName) && packet) {
    const built = skBuff({ ...objectCtx(ctx, '__sk_buff'), packet, progType: typeName as SkbProgType });
    return {
      options: { ...common, data: built.dataIn, ctx: built.ctxIn },
      packet,
      ctxIn: { ...built.fields },
      outputs: (r) => ({
        packet: r.dataOut ? built.packetOut(r.dataOut) : undefined,
        ctx: r.ctxOut ? { ...built.decode(r.ctxOut) } : undefined,
      }),
    };
  }
  if (typeName === 'FLOW_DISSECTOR' && packet) {
    const fields = objectCtx(ctx, 'bpf_flow_keys');
    const flags = Array.isArray(fields.flags) ? flowFlags(fields.flags) : fields.flags;
    const built = flowKeys({ ...fields, ...(flags === undefined ? {} : { flags: flags as number }), packet });
    return {
      options: { ...common, data: built.dataIn, ...(built.ctxIn ? { ctx: built.ctxIn } : {}) },
      packet,
      ctxIn: built.flags ? { flags: built.flags } : undefined,
      outputs: (r) => ({ flowKeys: r.dataOut ? { ...built.decode(r.dataOut) } : undefined }),
    };
  }
  if (typeName === 'SK_LOOKUP') {
    const built = skLookup(objectCtx(ctx, 'bpf_sk_lookup'));
    return {
      options: { ...common, ctx: built.ctxIn },
      packet: undefined,
      ctxIn: { ...built.fields },
      outputs: (r) => ({ ctx: r.ctxOut ? { ...built.decode(r.ctxOut) } : undefined }),
    };
  }
  if (typeName === 'RAW_TRACEPOINT' || typeName === 'RAW_TRACEPOINT_WRITABLE') {
    const args = Array.isArray(ctx) ? ctx : (objectCtx(ctx, 'raw_tracepoint') as { args?: unknown }).args;
    const built = rawTracepointArgs({ args: (args ?? []) as (number | bigint)[] });
    // A CPU only counts with BPF_F_TEST_RUN_ON_CPU: asking for one implies the flag.
    const flags = params.cpu === undefined ? common.flags : (common.flags ?? 0) | BPF_F_TEST_RUN_ON_CPU;
    return {
      options: { ...common, ...(flags === undefined ? {} : { flags }), ctx: built.ctxIn },
      packet: undefined,
      ctxIn: { args: built.args },
      outputs: () => ({}),
    };
  }
  if (typeName === 'SYSCALL') {
    const { fields, values } = syscallFields(ctx);
    if (Object.keys(fields).length === 0) {
      return { options: common, packet: undefined, ctxIn: undefined, outputs: () => ({}) };
    }
    const struct = syscallStruct(fields);
    const built = struct.build(values);
    return {
      options: { ...common, ctx: built.ctxIn },
      packet: undefined,
      ctxIn: { ...built.decode(built.ctxIn) },
      outputs: (r) => ({ ctx: r.ctxOut ? { ...built.decode(r.ctxOut) } : undefined }),
    };
  }
  return {
    options: { ...common, ...(packet ? { data: packet } : {}), ...rawCtx(ctx) },
    packet,
    ctxIn: undefined,
    outputs: (r) => ({ packet: r.dataOut }),
  };
}

function objectCtx(ctx: unknown, what: string): Record<string, unknown> {
  if (ctx === undefined) return {};
  if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) {
    throw usageError(
      `--ctx for this program type is a JSON object of ${what} fields, e.g. '{"mark": 7}'`,
      'run',
    );
  }
  for (const reserved of ['packet', 'progType']) {
    if (reserved in ctx)
      throw usageError(
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
 * defaults to 0).
 */
function syscallFields(ctx: unknown): {
  fields: Record<string, SyscallFieldType>;
  values: Record<string, bigint>;
} {
  const fields: Record<string, SyscallFieldType> = {};
  const values: Record<string, bigint> = {};
  for (const [name, spec] of Object.entries(objectCtx(ctx, 'SYSCALL argument struct'))) {
    const match =
      typeof spec === 'string' ? /^([us](?:8|16|32|64)|ptr)(?::(-?(?:0x[0-9a-f]+|\d+)))?$/i.exec(spec) : null;
    const type = match?.[1]?.toLowerCase();
    if (!match || !type || !scalarTypes.has(type)) {
      throw usageError(
        `--ctx field "${name}" of a SYSCALL program must be "type:value" with type u8..u64, s8..s64 or ptr (e.g. "u32:8")`,
        'run',
      );
    }
    fields[name] = type as SyscallFieldType;
    const raw = match[2] ?? '0';
    values[name] = raw.startsWith('-') ? -BigInt(raw.slice(1)) : BigInt(raw);
  }
  return { fields, values };
}

function hexBytes(text: string, field: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(text)) throw usageError(`--ctx field "${field}" must be hex bytes`, 'run');
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
        `unknown flow dissector flag "${String(name)}"; use ${Object.keys(FlowDissectorFlag).join(', ')}`,
        'run',
      );
    }
    flags |= bit;
  }
  return flags;
}

function rawCtx(ctx: unknown): { ctx?: Uint8Array } {
  if (ctx === undefined) return {};
  if (typeof ctx === 'string' && /^([0-9a-f]{2})*$/i.test(ctx)) return { ctx: Buffer.from(ctx, 'hex') };
  throw usageError(
    '--ctx for this program type is the raw context in hex, as a JSON string (e.g. \'"0100"\')',
    'run',
  );
}
