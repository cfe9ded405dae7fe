import { BpfProgType as ProgType, ValidationError, XDP_PACKET_HEADROOM } from '@progrun/uapi';
import { slotable } from './test-run-slots.js';
import { DATA_OUT_PROG_TYPES, NO_CTX_OUT_PROG_TYPES } from './test-run-support.js';
import { U32_MAX } from './validate.js';

/**
 * Options of a test run ({@link Program.run}). Every field is optional; unknown fields are rejected.
 */
export interface RunOptions {
  /**
   * in: the packet for packet programs (XDP, SCHED_CLS/ACT, SOCKET_FILTER, CGROUP_SKB, LWT_*,
   * FLOW_DISSECTOR, NETFILTER): at least 14 bytes (an Ethernet header; IPv4 header for NETFILTER).
   * Not taken by RAW_TRACEPOINT, SYSCALL, SK_LOOKUP.
   */
  readonly data?: Uint8Array;
  /**
   * Capacity of the returned packet, in bytes. Default: room for the packet plus any growth the
   * kernel allows (XDP headroom and a page of tail), and if the program still produces more, the run is
   * repeated with the size the kernel reports (the program then runs again). An explicit value is a
   * hard limit: more output is an ENOSPC {@link BpfError}. 0: do not return the packet.
   */
  readonly dataSizeOut?: number;
  /**
   * in: the context (`__sk_buff`, `xdp_md`, `bpf_flow_keys`, `bpf_sk_lookup`, raw tracepoint
   * arguments, SYSCALL's argument struct). Linux 5.2+ for skb programs, 5.15+ for XDP.
   */
  readonly ctx?: Uint8Array;
  /**
   * Capacity of the returned context. Default: when `ctx` is given and the type returns a context,
   * room for the kernel's struct (retried like dataSizeOut). 0: do not return it. SYSCALL programs
   * return their context by writing the argument struct back; RAW_TRACEPOINT returns none.
   */
  readonly ctxSizeOut?: number;
  /**
   * Runs in one call; default 1. `durationNs` is then the mean per run. XDP with repeat > 1 costs
   * two RCU grace periods per call (milliseconds) unless the program is also attached somewhere.
   * Not taken by RAW_TRACEPOINT and SYSCALL.
   */
  readonly repeat?: number;
  /**
   * BPF_F_TEST_* flags: BPF_F_TEST_RUN_ON_CPU (raw tracepoints, Linux 5.10+),
   * BPF_F_TEST_XDP_LIVE_FRAMES (XDP, 5.18+), BPF_F_TEST_SKB_CHECKSUM_COMPLETE (skb, 6.11+). Default 0.
   */
  readonly flags?: number;
  /** CPU to run on, with BPF_F_TEST_RUN_ON_CPU (Linux 5.10+). Default 0. */
  readonly cpu?: number;
  /** Frames per batch in XDP live-frames mode, 1..256 (Linux 5.18+). Default 0: the kernel's 64. */
  readonly batchSize?: number;
}

/** What a test run returns. */
export interface RunResult {
  /** The program's return value (of the last run; always 0 in XDP live-frames mode). */
  readonly retval: number;
  /** Mean nanoseconds per run as the kernel measured it (per frame in live mode; 0 where not measured). */
  readonly durationNs: number;
  /**
   * What bpf() itself returned: 0, unless a RAW_TRACEPOINT_WRITABLE program attached to the
   * `bpf_test_finish` tracepoint replaced it (Linux 5.2+). Not the program's return value (`retval`).
   */
  readonly syscallReturn: number;
  /** The packet after the run (FLOW_DISSECTOR: its bpf_flow_keys), when requested and produced. */
  readonly dataOut?: Buffer;
  /** The context after the run, when requested. */
  readonly ctxOut?: Buffer;
}

/** What {@link Program.benchmark} returns. */
export interface BenchmarkResult {
  /** The return value of the last run. */
  readonly retval: number;
  /** Mean nanoseconds per run, as the kernel measured it. */
  readonly durationNs: number;
  /** Runs made. */
  readonly repeat: number;
}

const KNOWN = ['data', 'dataSizeOut', 'ctx', 'ctxSizeOut', 'repeat', 'flags', 'cpu', 'batchSize'];

function isKnown(key: string): boolean {
  switch (key) {
    case 'data':
    case 'dataSizeOut':
    case 'ctx':
    case 'ctxSizeOut':
    case 'repeat':
    case 'flags':
    case 'cpu':
    case 'batchSize':
      return true;
    default:
      return false;
  }
}

/** A validated run: what the addon is called with. @internal */
export interface RunPlan {
  readonly data: Uint8Array | null;
  /** Output capacity; explicit ones are exact, automatic ones may grow on ENOSPC. */
  dataSizeOut: number;
  readonly dataSizeOutExplicit: boolean;
  readonly ctx: Uint8Array | null;
  ctxSizeOut: number;
  readonly ctxSizeOutExplicit: boolean;
  /** As passed to the kernel: 0 for one run (the only value RAW_TRACEPOINT and SYSCALL accept). */
  readonly repeat: number;
  readonly flags: number;
  readonly cpu: number;
  readonly batchSize: number;
  /** SYSCALL programs: ctx is a private copy the kernel writes back into, returned as ctxOut. */
  readonly ctxWrittenBack: boolean;
  /** The options as given, to tell whether a later call passes the same ones (see {@link samePlan}). */
  readonly source: Readonly<RunOptions>;
  /** How many keys `source` has (counted once, not on every reuse). */
  readonly sourceKeys: number;
}

/** Tail room the default output allows for: a page (bpf_xdp_adjust_tail, skb growth). */
const TAIL_GROWTH = 4096;
/** Default context capacity: above every context struct the kernel has (__sk_buff is 192 bytes). */
const CTX_CAPACITY = 512;

function bytesOption(name: string, value: unknown): Uint8Array | null {
  if (value === undefined) return null;
  // ArrayBuffer.isView first: it reads an internal slot, so a Proxy around a Buffer is refused here.
  if (!ArrayBuffer.isView(value)) {
    throw new ValidationError(`options.${name}`, 'a Uint8Array or Buffer (or another ArrayBufferView)', {
      received: value,
    });
  }
  if (value instanceof Uint8Array) return slotable(value);
  return slotable(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
}

function u32Option(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw new ValidationError(`options.${name}`, 'an integer in [0, 2^32-1]', { received: value });
  }
  return value;
}

/**
 * Largest output size accepted: far above anything a test run produces (an skb grows to 64 KiB plus
 * headers, an XDP frame with fragments to 17 pages), low enough that a typo cannot allocate gigabytes.
 */
export const MAX_OUTPUT_SIZE = 16 * 1024 * 1024;

function sizeOption(name: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_OUTPUT_SIZE) {
    throw new ValidationError(`options.${name}`, `an integer in [0, ${MAX_OUTPUT_SIZE}] (16 MiB)`, {
      received: value,
    });
  }
  return value;
}

/**
 * Validates run options for a program of `progType` and sizes the outputs.
 * @throws {ValidationError}
 * @internal
 */
export function planRun(progType: number, options: RunOptions | undefined): RunPlan {
  if (options === undefined) options = {};
  else if (typeof options !== 'object' || options === null || ArrayBuffer.isView(options)) {
    throw new ValidationError('options', 'an options object', { received: options });
  }
  let sourceKeys = 0;
  for (const key in options) {
    if (!isKnown(key))
      throw new ValidationError(`options.${key}`, `one of the known options (${KNOWN.join(', ')})`);
    sourceKeys++;
  }
  const data = bytesOption('data', options.data);
  let ctx = bytesOption('ctx', options.ctx);
  const repeat = u32Option('repeat', options.repeat, 1);
  const ctxWrittenBack = progType === ProgType.SYSCALL && ctx !== null;

  const dataSizeOutExplicit = options.dataSizeOut !== undefined;
  let dataSizeOut = sizeOption('dataSizeOut', options.dataSizeOut);
  if (!dataSizeOutExplicit && data !== null && DATA_OUT_PROG_TYPES[progType] === 1) {
    dataSizeOut = data.byteLength + XDP_PACKET_HEADROOM + TAIL_GROWTH;
  }

  const ctxSizeOutExplicit = options.ctxSizeOut !== undefined;
  let ctxSizeOut = sizeOption('ctxSizeOut', options.ctxSizeOut);
  if (!ctxSizeOutExplicit && ctx !== null && NO_CTX_OUT_PROG_TYPES[progType] !== 1) {
    ctxSizeOut = Math.max(ctx.byteLength, CTX_CAPACITY);
  }
  if (ctxWrittenBack && ctx !== null) {
    if (ctxSizeOutExplicit && ctxSizeOut !== 0) {
      throw new ValidationError(
        'options.ctxSizeOut',
        '0 or absent for SYSCALL programs (the kernel writes their context back in place; it is returned as ctxOut)',
        { received: ctxSizeOut },
      );
    }
    ctx = Buffer.from(ctx);
  }

  return {
    data,
    dataSizeOut,
    dataSizeOutExplicit,
    ctx,
    ctxSizeOut,
    ctxSizeOutExplicit,
    repeat: repeat <= 1 ? 0 : repeat,
    flags: u32Option('flags', options.flags, 0),
    cpu: u32Option('cpu', options.cpu, 0),
    batchSize: u32Option('batchSize', options.batchSize, 0),
    ctxWrittenBack,
    source: { ...options },
    sourceKeys,
  };
}

/**
 * Whether `plan` still describes `options`, so a hot loop passing the same options object run after run
 * validates it once: every field holds what it held when the plan was made, no field was added, and
 * the plan uses the caller's buffers themselves (not copies that would miss later changes to them).
 * @internal
 */
export function samePlan(plan: RunPlan, options: RunOptions): boolean {
  const source = plan.source;
  if (
    plan.ctxWrittenBack ||
    options.data !== source.data ||
    (source.data !== undefined && plan.data !== source.data) ||
    options.ctx !== source.ctx ||
    (source.ctx !== undefined && plan.ctx !== source.ctx) ||
    options.repeat !== source.repeat ||
    options.dataSizeOut !== source.dataSizeOut ||
    options.ctxSizeOut !== source.ctxSizeOut ||
    options.flags !== source.flags ||
    options.cpu !== source.cpu ||
    options.batchSize !== source.batchSize
  ) {
    return false;
  }
  let keys = 0;
  for (const _ in options) keys++;
  return keys === plan.sourceKeys;
}
