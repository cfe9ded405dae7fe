import { BpfProgType, type BpfProgTypeName } from '@progrun/uapi';
import { usageError } from '../cli/cli-error.js';

// Short names people use for program types (libbpf section names, tc/ip jargon).
const aliases: Readonly<Record<string, BpfProgTypeName>> = {
  tc: 'SCHED_CLS',
  classifier: 'SCHED_CLS',
  action: 'SCHED_ACT',
  socket: 'SOCKET_FILTER',
  raw_tp: 'RAW_TRACEPOINT',
  raw_tracepoint: 'RAW_TRACEPOINT',
  tp_btf: 'TRACING',
  fentry: 'TRACING',
  fexit: 'TRACING',
  cgroup_skb: 'CGROUP_SKB',
  flow_dissector: 'FLOW_DISSECTOR',
  sk_lookup: 'SK_LOOKUP',
};

/**
 * Reads a `--type` value: a `BpfProgType` name in any case (`xdp`, `SCHED_CLS`), with or without
 * `BPF_PROG_TYPE_`, or a common alias (`tc`, `raw_tp`, `socket`, `fentry`).
 * @throws CliError (usage) naming the accepted values.
 */
export function parseProgramType(text: string): BpfProgTypeName {
  const key = text
    .trim()
    .replace(/^BPF_PROG_TYPE_/i, '')
    .replace(/-/g, '_');
  const alias = aliases[key.toLowerCase()];
  if (alias) return alias;
  const upper = key.toUpperCase();
  if (upper !== 'UNSPEC' && Object.hasOwn(BpfProgType, upper)) return upper as BpfProgTypeName;
  const names = Object.keys(BpfProgType)
    .filter((name) => name !== 'UNSPEC')
    .map((name) => name.toLowerCase());
  throw usageError(
    `unknown program type "${text}"; use one of ${names.join(', ')} (or tc, raw_tp, socket, fentry)`,
    'run',
  );
}

/** The `BpfProgType` name of a type number, or `TYPE_<n>` for one newer than the generated headers. */
export function programTypeName(type: number): string {
  const entry = Object.entries(BpfProgType).find(([, value]) => value === type);
  return entry ? entry[0] : `TYPE_${type}`;
}
