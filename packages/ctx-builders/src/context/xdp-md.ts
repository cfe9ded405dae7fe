import {
  BPF_F_TEST_XDP_LIVE_FRAMES,
  fieldOf,
  kernelLimitFor,
  layouts,
  programTypes,
  ValidationError,
} from '@progrun/uapi';
import { atLeast, ctxBytes, ctxMinLength, ctxOptions, ctxUint } from './context-values.js';
import { checkTarget, type KernelTarget, requireKernel, targetAtLeast } from './kernel-target.js';
import type { TestRunOutput } from './test-run-output.js';

/** `struct xdp_md` as the program sees it; `data`/`data_end`/`data_meta` are offsets into data_in/data_out. */
export interface XdpMd {
  /** Offset of the packet: the metadata length (data_meta is 0). */
  data: number;
  /** Offset of the end of the packet: metadata plus packet length. */
  data_end: number;
  /** Always 0: data_in starts with the metadata. */
  data_meta: number;
  /** Interface the frame arrives on (0: loopback's queue 0). */
  ingress_ifindex: number;
  /** Receive queue of `ingress_ifindex`. */
  rx_queue_index: number;
  /** Must be 0 for a test run (only devmap programs see it). */
  egress_ifindex: number;
}

/** What {@link xdpMd} takes. */
export interface XdpMdOptions {
  /** The frame, starting with its Ethernet header. */
  packet: Uint8Array;
  /**
   * XDP metadata placed before the packet (what `bpf_xdp_adjust_meta` would have made): bytes, or a
   * length of zero bytes. A multiple of 4, at most 32 bytes before Linux 6.8, 216 from 6.19 and in the
   * 6.12 and 6.18 stable lines, 252 in the kernels between. Default none.
   */
  metadata?: Uint8Array | number;
  /** Interface index the frame arrives on; must exist in the caller's network namespace (else ENODEV). Default 0. */
  ingress_ifindex?: number;
  /** Receive queue; needs `ingress_ifindex` and must be below its queue count (else EINVAL). Default 0. */
  rx_queue_index?: number;
  /** Accepted only as 0: the kernel rejects any other value. */
  egress_ifindex?: number;
  /** The kernel to check the rules for (default: the newest). */
  target?: KernelTarget;
  /**
   * Live-frames mode (BPF_F_TEST_XDP_LIVE_FRAMES, Linux 5.18+): checks its limits, and the typed run asks for
   * the flag and no outputs. Default false.
   */
  live?: boolean;
}

const KNOWN = new Set([
  'packet',
  'metadata',
  'ingress_ifindex',
  'rx_queue_index',
  'egress_ifindex',
  'target',
  'live',
]);
const L = layouts.xdp_md;
const O_DATA = fieldOf(L, 'data').offset;
const O_DATA_END = fieldOf(L, 'data_end').offset;
const O_DATA_META = fieldOf(L, 'data_meta').offset;
const O_INGRESS = fieldOf(L, 'ingress_ifindex').offset;
const O_RXQ = fieldOf(L, 'rx_queue_index').offset;
const O_EGRESS = fieldOf(L, 'egress_ifindex').offset;
const XDP_TEST_RUN = programTypes.XDP.testRun;
/** Minimum frame: an Ethernet header. */
const ETH_HLEN = 14;
/** Largest linear frame before multi-buffer test runs (5.18): 4096 - 256 headroom - 320 shared info (x86-64). */
const MAX_LINEAR = 3520;
/** Largest frame in live-frames mode (x86-64, 4 KiB pages), measured. */
const MAX_LIVE = 3408;
const EMPTY = new Uint8Array(0);

function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = v >>> 24;
}

function readU32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** Decodes `struct xdp_md` bytes (ctx_in or ctx_out; shorter buffers are zero-extended). */
export function decodeXdpMd(bytes: Uint8Array): XdpMd {
  const b = atLeast(bytes, L.size, 'ctxOut');
  return {
    data: readU32(b, O_DATA),
    data_end: readU32(b, O_DATA_END),
    data_meta: readU32(b, O_DATA_META),
    ingress_ifindex: readU32(b, O_INGRESS),
    rx_queue_index: readU32(b, O_RXQ),
    egress_ifindex: readU32(b, O_EGRESS),
  };
}

/** What an XDP run with an `xdp_md` returns, decoded ({@link XdpMdContext.decode}). */
export interface XdpMdRun {
  /** The packet after the run, without the metadata (undefined when data_out was not asked for). */
  readonly packet: Uint8Array | undefined;
  /** The metadata the program left in front of the packet (bpf_xdp_adjust_meta). */
  readonly metadata: Uint8Array | undefined;
  /** `struct xdp_md` after the run: data/data_end as the program left them, relative to the metadata start. */
  readonly ctx: XdpMd | undefined;
}

/**
 * An `xdp_md` test-run input for `Program.run`: `ctxIn` and `dataIn` for BPF_PROG_TEST_RUN, and the decoder
 * of the outputs. In live-frames mode it also asks for BPF_F_TEST_XDP_LIVE_FRAMES and no outputs (the
 * kernel refuses data_out and ctx_out with a ctx there).
 */
export class XdpMdContext {
  /** BPF_F_TEST_XDP_LIVE_FRAMES in live mode. */
  readonly flags: number | undefined;
  /** 0 in live mode: no packet comes back. */
  readonly dataSizeOut: number | undefined;
  /** 0 in live mode: no context comes back. */
  readonly ctxSizeOut: number | undefined;

  /**
   * @param ctxIn bytes for ctx_in (`struct xdp_md`)
   * @param dataIn bytes for data_in: the metadata followed by the packet
   * @param live whether the run is in live-frames mode
   */
  constructor(
    readonly ctxIn: Buffer,
    readonly dataIn: Uint8Array,
    live = false,
  ) {
    this.flags = live ? BPF_F_TEST_XDP_LIVE_FRAMES : undefined;
    this.dataSizeOut = live ? 0 : undefined;
    this.ctxSizeOut = live ? 0 : undefined;
  }

  /** The context as sent (decoded from `ctxIn`). */
  get fields(): XdpMd {
    return decodeXdpMd(this.ctxIn);
  }

  /**
   * Decodes a run's outputs: the packet and the metadata in front of it (split by ctx_out's offsets) and
   * the `xdp_md` as the program left it.
   * @throws ValidationError when ctx_out's offsets do not fit data_out
   */
  decode(result: TestRunOutput): XdpMdRun {
    const { dataOut, ctxOut } = result;
    if (dataOut === undefined) {
      return { packet: undefined, metadata: undefined, ctx: ctxOut && decodeXdpMd(ctxOut) };
    }
    if (ctxOut === undefined) return { packet: dataOut, metadata: undefined, ctx: undefined };
    return { ...this.split(dataOut, ctxOut), ctx: decodeXdpMd(ctxOut) };
  }

  /**
   * Splits data_out (which starts at the metadata) into metadata and packet using ctx_out.
   * @throws ValidationError when ctx_out's offsets do not fit data_out
   */
  split(dataOut: Uint8Array, ctxOut: Uint8Array): { metadata: Uint8Array; packet: Uint8Array } {
    ctxBytes('dataOut', dataOut);
    const md = decodeXdpMd(ctxOut);
    if (md.data > md.data_end || md.data_end > dataOut.length) {
      throw new ValidationError('ctxOut', 'offsets', {
        message: `data ${md.data}..${md.data_end} does not fit ${dataOut.length} bytes of data_out`,
      });
    }
    return { metadata: dataOut.subarray(0, md.data), packet: dataOut.subarray(md.data, md.data_end) };
  }
}

/**
 * Builds an `xdp_md` context and the matching data_in for an XDP test run, enforcing the kernel's rules
 * before the syscall: ctx_in needs Linux 5.15; metadata a multiple of 4 and at most the target kernel's
 * limit (32 bytes before 6.8, 252 from 6.8, 216 from 6.19 and in stable 6.12 and 6.18);
 * `data`/`data_end` computed from the metadata and packet; `rx_queue_index` only with
 * `ingress_ifindex`; `egress_ifindex` 0; at least 14 bytes of data; at most 3520 bytes of packet before
 * Linux 5.18 (multi-buffer), 3408 in live-frames mode (x86-64).
 *
 * Minimum kernel: 5.15 (xdp_md as ctx_in).
 *
 * @throws ValidationError naming the field, the rule, the kernel's errno and (for version rules)
 * the minimum kernel
 * @example
 * ```ts
 * const { verdict, packet, metadata, ctx } = prog.run(
 *   xdpMd({ packet: eth().ipv4().udp().build(), ingress_ifindex: 1, metadata: 8 }),
 * );
 * ```
 */
export function xdpMd(options: XdpMdOptions): XdpMdContext {
  const o = ctxOptions<XdpMdOptions>('xdp_md', options, KNOWN);
  const target = checkTarget(o.target);
  requireKernel(target, XDP_TEST_RUN.context.ctxInSince, 'xdp_md', 'an xdp_md ctx_in for XDP test runs');
  const packet = ctxBytes('packet', o.packet);
  let metadata: Uint8Array = EMPTY;
  if (typeof o.metadata === 'number') metadata = new Uint8Array(ctxUint('metadata', o.metadata, 16));
  else if (o.metadata !== undefined) metadata = ctxBytes('metadata', o.metadata);
  const metaLen = metadata.length;
  if (metaLen % 4 !== 0) {
    throw new ValidationError('xdp_md.data', 'multiple-of-4', {
      message: `metadata of ${metaLen} bytes is not a multiple of 4`,
      kernelCode: 'EINVAL',
    });
  }
  const limits = XDP_TEST_RUN.context.metadataLimits;
  const limit = kernelLimitFor(limits, target);
  if (metaLen > limit.max) {
    // A newer kernel may take it: name the first that does.
    const newer = limits.find((l) => l.max >= metaLen && !targetAtLeast(target, l.since));
    throw new ValidationError('xdp_md.data', 'max-metadata', {
      message: `metadata of ${metaLen} bytes exceeds the ${limit.max} bytes ${target === undefined ? 'the newest kernels accept' : `Linux ${target} accepts`} (${limit.because})`,
      kernelCode: 'EINVAL',
      ...(newer ? { minKernel: newer.since } : {}),
    });
  }
  const ingress =
    o.ingress_ifindex === undefined ? 0 : ctxUint('xdp_md.ingress_ifindex', o.ingress_ifindex, 32);
  const rxq = o.rx_queue_index === undefined ? 0 : ctxUint('xdp_md.rx_queue_index', o.rx_queue_index, 32);
  if (o.egress_ifindex !== undefined && ctxUint('xdp_md.egress_ifindex', o.egress_ifindex, 32) !== 0) {
    throw new ValidationError('xdp_md.egress_ifindex', 'must-be-zero', {
      message: 'must be 0 in a test run (set only for devmap programs)',
      kernelCode: 'EINVAL',
    });
  }
  if (rxq !== 0 && ingress === 0) {
    throw new ValidationError('xdp_md.rx_queue_index', 'needs-ingress-ifindex', {
      message: 'a receive queue needs an ingress_ifindex',
      kernelCode: 'EINVAL',
    });
  }
  const total = metaLen + packet.length;
  ctxMinLength(total, ETH_HLEN, 'an Ethernet header');
  if (o.live === true) {
    requireKernel(target, '5.18', 'live', 'live-frames mode');
    if (packet.length > MAX_LIVE) {
      throw new ValidationError('packet', 'max-live-frame', {
        message: `${packet.length} bytes exceeds the ${MAX_LIVE}-byte live frame`,
        kernelCode: 'EINVAL',
      });
    }
  } else if (packet.length > MAX_LINEAR && !targetAtLeast(target, '5.18')) {
    throw new ValidationError('packet', 'max-linear-frame', {
      message: `${packet.length} bytes exceeds ${MAX_LINEAR}; larger frames need multi-buffer test runs (Linux 5.18)`,
      kernelCode: 'EINVAL',
      minKernel: '5.18',
    });
  }
  // A pooled buffer, every field written: cheaper than a zeroed allocation on the hot path.
  const ctxIn = Buffer.allocUnsafe(L.size);
  writeU32(ctxIn, O_DATA, metaLen);
  writeU32(ctxIn, O_DATA_END, total);
  writeU32(ctxIn, O_DATA_META, 0);
  writeU32(ctxIn, O_INGRESS, ingress);
  writeU32(ctxIn, O_RXQ, rxq);
  writeU32(ctxIn, O_EGRESS, 0);
  let dataIn = packet;
  if (metaLen > 0) {
    dataIn = Buffer.allocUnsafe(total);
    dataIn.set(metadata, 0);
    dataIn.set(packet, metaLen);
  }
  return new XdpMdContext(ctxIn, dataIn, o.live === true);
}
