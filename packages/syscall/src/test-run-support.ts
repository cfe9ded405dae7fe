import { type NamedProgramTypeProfile, programTypeProfiles } from '@progrun/uapi';

/**
 * The first mainline kernel whose BPF_PROG_TEST_RUN supports each program type, by type value (from
 * @progrun/uapi's program-type table). Types absent from it have no test run in any kernel.
 */
export const TEST_RUN_SINCE: Readonly<Record<number, string>> = Object.fromEntries(
  programTypeProfiles.flatMap((p) => (p.testRun ? [[p.value, p.testRun.minKernel]] : [])),
);

/** A lookup table by program type (a Set lookup costs more than the rest of a run's bookkeeping). */
function byType(has: (profile: NamedProgramTypeProfile) => boolean): Readonly<Uint8Array> {
  const table = new Uint8Array(256);
  for (const profile of programTypeProfiles) if (has(profile)) table[profile.value] = 1;
  return table;
}

/**
 * Program types whose test run returns something in data_out: the packet (FLOW_DISSECTOR returns its
 * struct bpf_flow_keys there instead). 1 at their index.
 */
export const DATA_OUT_PROG_TYPES: Readonly<Uint8Array> = byType(
  (p) => p.testRun !== undefined && p.testRun.dataOut !== 'none',
);

/**
 * Program types whose test run rejects ctx_out (raw tracepoints, ...) or writes the context back into
 * ctx_in instead (SYSCALL): their context comes back by other means or not at all. 1 at their index.
 */
export const NO_CTX_OUT_PROG_TYPES: Readonly<Uint8Array> = byType(
  (p) => p.testRun !== undefined && p.testRun.ctxOut !== 'returned',
);

/** Ethernet header length: the smallest packet most packet programs' test runs take. */
export const ETH_HLEN = 14;

/** Largest batch of XDP live-frames mode (the kernel's TEST_XDP_MAX_BATCH, not in the UAPI headers). */
export const TEST_XDP_MAX_BATCH = 256;
