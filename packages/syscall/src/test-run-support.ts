import { BpfProgType as ProgType } from '@progrun/uapi';

/**
 * The first mainline kernel whose BPF_PROG_TEST_RUN supports each program type (from the history of
 * net/bpf/test_run.c and the kernel's prog_ops tables). Types absent from this table have no test run
 * in any kernel. LWT_SEG6LOCAL lost its test run again in late 2024 (a crash fix, also in stable kernels).
 */
export const TEST_RUN_SINCE: Readonly<Record<number, string>> = {
  [ProgType.SOCKET_FILTER]: '4.12',
  [ProgType.SCHED_CLS]: '4.12',
  [ProgType.SCHED_ACT]: '4.12',
  [ProgType.XDP]: '4.12',
  [ProgType.CGROUP_SKB]: '4.12',
  [ProgType.LWT_IN]: '4.12',
  [ProgType.LWT_OUT]: '4.12',
  [ProgType.LWT_XMIT]: '4.12',
  [ProgType.LWT_SEG6LOCAL]: '4.18',
  [ProgType.FLOW_DISSECTOR]: '4.20',
  [ProgType.TRACING]: '5.7',
  [ProgType.RAW_TRACEPOINT]: '5.10',
  [ProgType.RAW_TRACEPOINT_WRITABLE]: '5.10',
  [ProgType.SK_LOOKUP]: '5.13',
  [ProgType.SYSCALL]: '5.14',
  [ProgType.STRUCT_OPS]: '5.17',
  [ProgType.NETFILTER]: '6.4',
};

/** A lookup table by program type (a Set lookup costs more than the rest of a run's bookkeeping). */
function byType(types: readonly number[]): Readonly<Uint8Array> {
  const table = new Uint8Array(256);
  for (const type of types) table[type] = 1;
  return table;
}

/**
 * Program types whose test run returns a packet in data_out (FLOW_DISSECTOR returns its struct
 * bpf_flow_keys there instead): 1 at their index.
 */
export const DATA_OUT_PROG_TYPES: Readonly<Uint8Array> = byType([
  ProgType.SOCKET_FILTER,
  ProgType.SCHED_CLS,
  ProgType.SCHED_ACT,
  ProgType.XDP,
  ProgType.CGROUP_SKB,
  ProgType.LWT_IN,
  ProgType.LWT_OUT,
  ProgType.LWT_XMIT,
  ProgType.LWT_SEG6LOCAL,
  ProgType.FLOW_DISSECTOR,
]);

/**
 * Program types whose test run rejects ctx_out (raw tracepoints) or writes the context back into ctx_in
 * instead (SYSCALL): their context comes back by other means or not at all. 1 at their index.
 */
export const NO_CTX_OUT_PROG_TYPES: Readonly<Uint8Array> = byType([
  ProgType.RAW_TRACEPOINT,
  ProgType.RAW_TRACEPOINT_WRITABLE,
  ProgType.SYSCALL,
  ProgType.TRACING,
  ProgType.STRUCT_OPS,
  ProgType.NETFILTER,
]);

/** Ethernet header length: the smallest packet most packet programs' test runs take. */
export const ETH_HLEN = 14;

/** Largest batch of XDP live-frames mode (the kernel's TEST_XDP_MAX_BATCH, not in the UAPI headers). */
export const TEST_XDP_MAX_BATCH = 256;
