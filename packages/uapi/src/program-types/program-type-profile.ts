import type { BpfAttachTypeName } from '../generated/enums.js';
import type { LayoutName } from '../layout-lookup.js';

/**
 * What a program's return value means, by the set of names it is read in: `xdp_action` (XDP_*),
 * `tc_action` (TC_ACT_*, signed), `sk_action` (SK_DROP/SK_PASS), `bpf_ret_code` (BPF_OK, BPF_DROP, ...),
 * `cgroup_skb` (1 allow, 0 drop).
 */
export type VerdictEnumName = 'xdp_action' | 'tc_action' | 'sk_action' | 'bpf_ret_code' | 'cgroup_skb';

/** A kernel version at which something changed, and why. */
export interface KernelChange {
  /** The first mainline release with the change (`'6.12'`). */
  readonly version: string;
  /** What changed and where it came from (commit subject). */
  readonly because: string;
  /** Whether stable kernels older than `version` received it too, so an older kernel may show it. */
  readonly backported: boolean;
}

/** Where a context's layout comes from. */
export type ContextLayout =
  /** A struct of the UAPI headers, with its generated layout (`layouts[struct]`). */
  | { readonly kind: 'uapi'; readonly struct: LayoutName }
  /** A kernel-internal struct (not in the UAPI headers), laid out from the kernel's BTF. */
  | { readonly kind: 'kernel-internal'; readonly struct: string }
  /** One u64 per argument of the function the program implements (STRUCT_OPS operations). */
  | { readonly kind: 'u64-args' }
  /** A struct the program declares itself (SYSCALL programs' argument struct). */
  | { readonly kind: 'program-defined' };

/** An upper bound that depends on the kernel: `max` from `since` on (until the next entry). */
export interface KernelLimit {
  readonly since: string;
  readonly max: number;
  /** The commit that set it, and why. */
  readonly because: string;
  /**
   * Stable lines (`'6.12'`, `'6.18'`) older than `since` that received this limit as a backport: a kernel of
   * one of them has it too.
   */
  readonly backportedTo?: readonly string[];
}

/**
 * How a test run's `retval` relates to what the program returned, from a kernel on (until the next
 * convention of the list).
 */
export interface RetvalConvention {
  /** The first mainline kernel with the convention. */
  readonly since: string;
  /**
   * `returned`: retval is the program's return value. `is-bpf-ok`: retval is 1 when the program returned
   * BPF_OK and 0 for any other value (the kernel reported a bool), so BPF_DROP and the rest read alike.
   */
  readonly retval: 'returned' | 'is-bpf-ok';
  /** Where it comes from in the kernel (function, commit subject). */
  readonly because: string;
  /** Stable lines older than `since` that received the convention as a backport. */
  readonly backportedTo?: readonly string[];
}

/** The context (ctx_in/ctx_out) of a program type's test run. */
export interface TestRunContext {
  /** Where the layout comes from, with the struct's name. */
  readonly layout: ContextLayout;
  /** The first kernel whose test run takes a ctx_in for the type; absent: the test run's own minimum. */
  readonly ctxInSince?: string;
  /** Whether the test run refuses to run without a ctx_in (SK_LOOKUP). */
  readonly required: boolean;
  /**
   * XDP: the most metadata bytes in front of the packet (xdp_md.data) the test run accepts, per kernel,
   * oldest first. Always a multiple of 4 as well.
   */
  readonly metadataLimits?: readonly KernelLimit[];
}

/** How a type's BPF_PROG_TEST_RUN behaves (net/bpf/test_run.c and the type's prog_ops). */
export interface TestRunProfile {
  /** The first mainline kernel whose test run runs the type. */
  readonly minKernel: string;
  /** When the kernel dropped the type's test run again. */
  readonly removedIn?: KernelChange;
  /**
   * Whether the run takes data_in (a packet): `required` for packet programs, `refused` (EINVAL) or
   * `ignored` by the others.
   */
  readonly data: 'required' | 'refused' | 'ignored';
  /**
   * Where the program's view of the packet starts: `link` (the Ethernet header) or `network` (the kernel
   * pulls the Ethernet header of data_in first; skb types return it zeroed in data_out). Absent for types
   * without data.
   */
  readonly packetStart?: 'link' | 'network';
  /** What data_out returns: the packet after the run, FLOW_DISSECTOR's `struct bpf_flow_keys`, or nothing. */
  readonly dataOut: 'packet' | 'flow-keys' | 'none';
  /**
   * How the context comes back: in ctx_out (`returned`), written back into ctx_in's memory (`written-back`,
   * SYSCALL), or not at all (`none`: raw tracepoints refuse a ctx_out, the others leave it untouched).
   */
  readonly ctxOut: 'returned' | 'written-back' | 'none';
  /** The context; absent when the run takes none (TRACING). */
  readonly context?: TestRunContext;
  /**
   * What retval means per kernel, oldest first; absent: the program's return value on every kernel. The
   * typed run's `verdict` reads retval through the running kernel's convention.
   */
  readonly retvalConventions?: readonly RetvalConvention[];
}

/** What the feature probe of a type's test run loads and sends: the smallest program and input of the type. */
export interface ProbeRecipe {
  /** The program's return value (its whole body is `r0 = returns; exit`). */
  readonly returns: number;
  /** `expected_attach_type` at load. */
  readonly expectedAttachType?: BpfAttachTypeName;
  /** The BTF type the program attaches to (found in the running kernel's BTF). */
  readonly attachTo?: { readonly kind: 'func' | 'struct'; readonly name: string };
  /** BPF_F_* load flags. */
  readonly loadFlags?: number;
  /**
   * The input: an Ethernet frame, an IPv4 packet from its network header, an IPv4/TCP `bpf_sk_lookup`,
   * one zero u64 argument, or nothing.
   */
  readonly sends: 'ethernet-frame' | 'ipv4-packet' | 'sk-lookup-ctx' | 'one-u64-arg' | 'nothing';
}

/** One program type's row of {@link programTypes}. */
export interface ProgramTypeProfile {
  /**
   * Other names people give the type (libbpf section names, tc and ip jargon), lowercase; the UAPI name
   * itself is accepted in any case without being listed.
   */
  readonly aliases: readonly string[];
  /** How its return value reads; absent: a plain number (a length, an error code, a result). */
  readonly verdicts?: VerdictEnumName;
  /** Its test run; absent when no kernel has one. */
  readonly testRun?: TestRunProfile;
  /** The feature probe of its test run; absent for types that are not probed. */
  readonly probe?: ProbeRecipe;
  /** What a reader should know that the fields do not say. */
  readonly note?: string;
}
