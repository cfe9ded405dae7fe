/**
 * What a test run returned, as a context's `decode` reads it: structurally @progrun/syscall's `RunResult`,
 * so the builders' contexts are typed test-run inputs for `Program.run` without depending on the syscall
 * package.
 */
export interface TestRunOutput {
  /** The program's return value. */
  readonly retval: number;
  /** data_out: the packet after the run (FLOW_DISSECTOR: its struct bpf_flow_keys), when returned. */
  readonly dataOut?: Uint8Array;
  /** ctx_out (SYSCALL: ctx_in written back), when returned. */
  readonly ctxOut?: Uint8Array;
}

/** What a run that returns nothing but its verdict decodes to (raw tracepoints, STRUCT_OPS, NETFILTER). */
export type NoRunOutputs = Readonly<Record<never, never>>;
