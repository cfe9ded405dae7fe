import { types } from 'node:util';
import {
  type BpfProgTypeName,
  type ErrnoName,
  fieldOf,
  layouts,
  programTypeProfiles,
  type programTypes,
  ValidationError,
} from '@progrun/uapi';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import { atLeast, ctxBytes, ctxMinLength, ctxOptions, ctxU64, ctxUint } from './context-values.js';
import { checkTarget, type KernelTarget, requireKernel } from './kernel-target.js';
import type { TestRunOutput } from './test-run-output.js';

/** The `__sk_buff` fields a test run lets userspace set (and returns in ctx_out). */
export interface SkBuff {
  /** skb->mark. Linux 5.6+. */
  mark: number;
  /** skb->priority. Linux 5.2+. */
  priority: number;
  /** skb->skb_iif. Linux 5.16+. */
  ingress_ifindex: number;
  /** Device the skb is on: 0 or 1 is loopback; another index must exist (else ENODEV). Linux 5.10+. */
  ifindex: number;
  /** The 20-byte control block as 5 words. Linux 5.2+. */
  cb: number[];
  /** skb->tstamp (ns; CLOCK_REALTIME unless the program sets a delivery time). Linux 5.5+. */
  tstamp: bigint;
  /** Length on the wire: 0 (the packet length) or from the packet length to 65536. Linux 5.6+. */
  wire_len: number;
  /** GSO segment count, at most 65535. Linux 5.6+. */
  gso_segs: number;
  /** GSO segment size. Linux 5.7+ (not copied back: ctx_out repeats ctx_in). */
  gso_size: number;
  /** Hardware receive timestamp (ns). Linux 5.16+. */
  hwtstamp: bigint;
}

/** Program types whose test run builds an skb from data_in (their context is `__sk_buff`), by UAPI name. */
export type SkbProgType = {
  [K in BpfProgTypeName]: (typeof programTypes)[K] extends {
    readonly testRun: { readonly context: { readonly layout: { readonly struct: '__sk_buff' } } };
  }
    ? K
    : never;
}[BpfProgTypeName];

/** What {@link skBuff} takes: the packet, the settable fields, and any other field as long as it is 0. */
export type SkBuffOptions = Partial<Omit<SkBuff, 'tstamp' | 'hwtstamp' | 'cb'>> & {
  /** The packet, starting with its Ethernet header (at least 14 bytes). */
  packet: Uint8Array;
  /** Up to 5 control-block words. */
  cb?: readonly number[];
  /** skb->tstamp in ns. */
  tstamp?: bigint | number;
  /** Hardware timestamp in ns. */
  hwtstamp?: bigint | number;
  /**
   * The program type, which decides where the program's data starts: SCHED_CLS/SCHED_ACT see the
   * Ethernet header; the others start at the network header, and their data_out comes back with 14
   * zeroed bytes in front. Default `SCHED_CLS`.
   */
  progType?: SkbProgType;
  /** The kernel to check the rules for (default: the newest). */
  target?: KernelTarget;
} & { readonly [field: string]: unknown };

/** The first kernel that accepts each settable field in ctx_in (history of net/bpf/test_run.c). */
export const SK_BUFF_SETTABLE_SINCE: Readonly<Record<keyof SkBuff, string>> = {
  priority: '5.2',
  cb: '5.2',
  tstamp: '5.5',
  mark: '5.6',
  wire_len: '5.6',
  gso_segs: '5.6',
  gso_size: '5.7',
  ifindex: '5.10',
  ingress_ifindex: '5.16',
  hwtstamp: '5.16',
};

const L = layouts.__sk_buff;
const OFFSET = Object.fromEntries(
  (Object.keys(SK_BUFF_SETTABLE_SINCE) as (keyof SkBuff)[]).map((k) => [k, fieldOf(L, k).offset]),
) as Record<keyof SkBuff, number>;
const LAYOUT_FIELDS = new Set<string>(L.fields.map((f) => f.name));
const KNOWN = new Set<string>([...LAYOUT_FIELDS, 'packet', 'progType', 'target']);
const SKB_PROFILES = programTypeProfiles.filter((p) => {
  const layout = p.testRun?.context?.layout;
  return layout?.kind === 'uapi' && layout.struct === '__sk_buff';
});
/** The skb types and the first kernel whose test run takes an `__sk_buff` ctx_in for each. */
const PROG_TYPES: ReadonlyMap<string, string> = new Map(
  SKB_PROFILES.map((p) => [p.name, p.testRun?.context?.ctxInSince ?? p.testRun!.minKernel]),
);
/** skb types whose program sees the Ethernet header (the others start at the network header). */
const L2_TYPES: ReadonlySet<string> = new Set(
  SKB_PROFILES.filter((p) => p.testRun?.packetStart === 'link').map((p) => p.name),
);
const ETH_HLEN = 14;
/** GSO_LEGACY_MAX_SIZE (GSO_MAX_SIZE before 6.0). */
const MAX_WIRE_LEN = 65536;
/** GSO_MAX_SEGS. */
const MAX_GSO_SEGS = 65535;
/** ETH_P_802_3_MIN: smaller type fields are 802.3 lengths. */
const ETH_P_802_3_MIN = 0x0600;

function isZero(value: unknown): boolean {
  if (value === 0 || value === 0n) return true;
  if (Array.isArray(value) || types.isUint8Array(value))
    return Array.prototype.every.call(value, (v) => v === 0 || v === 0n);
  return false;
}

/**
 * The `skb->protocol` the kernel derives from a frame (eth_type_trans), in host order: the EtherType,
 * or ETH_P_802_3 (1) / ETH_P_802_2 (4) for 802.3 length fields.
 * @throws PacketError when `packet` is not a Uint8Array (a Proxy around one included).
 */
export function skbProtocolOf(packet: Uint8Array): number {
  if (!types.isUint8Array(packet))
    throw new PacketError('packet', 'bytes', `expected a Uint8Array or Buffer, got ${describe(packet)}`);
  const type = (packet[12]! << 8) | packet[13]!;
  if (type >= ETH_P_802_3_MIN) return type;
  return packet[14] === 0xff && packet[15] === 0xff ? 0x0001 : 0x0004;
}

/** Decodes the settable fields of `struct __sk_buff` bytes (ctx_in or ctx_out; shorter buffers are zero-extended). */
export function decodeSkBuff(bytes: Uint8Array): SkBuff {
  const b = Buffer.from(atLeast(bytes, L.size, 'ctxOut'));
  const cb: number[] = [];
  for (let i = 0; i < 5; i++) cb.push(b.readUInt32LE(OFFSET.cb + 4 * i));
  return {
    mark: b.readUInt32LE(OFFSET.mark),
    priority: b.readUInt32LE(OFFSET.priority),
    ingress_ifindex: b.readUInt32LE(OFFSET.ingress_ifindex),
    ifindex: b.readUInt32LE(OFFSET.ifindex),
    cb,
    tstamp: b.readBigUInt64LE(OFFSET.tstamp),
    wire_len: b.readUInt32LE(OFFSET.wire_len),
    gso_segs: b.readUInt32LE(OFFSET.gso_segs),
    gso_size: b.readUInt32LE(OFFSET.gso_size),
    hwtstamp: b.readBigUInt64LE(OFFSET.hwtstamp),
  };
}

/** What an skb run with an `__sk_buff` returns, decoded ({@link SkBuffContext.decode}). */
export interface SkBuffRun {
  /** The packet after the run, with its Ethernet header (see {@link SkBuffContext.packetOut}). */
  readonly packet: Uint8Array | undefined;
  /** The settable `__sk_buff` fields as the program left them. */
  readonly ctx: SkBuff | undefined;
}

/**
 * An `__sk_buff` test-run input for `Program.run`: `ctxIn` and `dataIn`, what the kernel will derive, and
 * the decoder of the outputs.
 */
export class SkBuffContext {
  /**
   * @param ctxIn bytes for ctx_in (`struct __sk_buff`)
   * @param dataIn bytes for data_in (the packet)
   * @param fields the settable fields as sent
   * @param protocol `skb->protocol` the kernel derives from the packet (host order)
   * @param progType the program type the input was checked for
   */
  constructor(
    readonly ctxIn: Buffer,
    readonly dataIn: Uint8Array,
    readonly fields: Readonly<SkBuff>,
    readonly protocol: number,
    readonly progType: SkbProgType,
  ) {}

  /** Decodes a run's outputs: the packet (with its Ethernet header) and the `__sk_buff` after the run. */
  decode(result: TestRunOutput): SkBuffRun {
    return {
      packet: result.dataOut && this.packetOut(result.dataOut),
      ctx: result.ctxOut && decodeSkBuff(result.ctxOut),
    };
  }

  /**
   * The output packet with its Ethernet header: for program types that start at the network header the
   * kernel returns 14 zeroed bytes in front, which are replaced by the input's header here.
   */
  packetOut(dataOut: Uint8Array): Uint8Array {
    ctxBytes('dataOut', dataOut);
    if (L2_TYPES.has(this.progType) || dataOut.length < ETH_HLEN) return dataOut;
    const out = Buffer.from(dataOut);
    out.set(this.dataIn.subarray(0, ETH_HLEN), 0);
    return out;
  }
}

/**
 * Builds an `__sk_buff` context for the skb test run (SCHED_CLS, SCHED_ACT, SOCKET_FILTER,
 * CGROUP_SKB, LWT_*), enforcing net/bpf/test_run.c's rules: only `mark`, `priority`,
 * `ingress_ifindex`, `ifindex`, `cb`, `tstamp`, `wire_len`, `gso_segs`, `gso_size` and `hwtstamp`
 * may be non-zero (each from the kernel in {@link SK_BUFF_SETTABLE_SINCE}); any other non-zero field is
 * rejected naming it; `wire_len` 0 or between the skb length and 65536; `gso_segs` at most 65535; the
 * packet at least 14 bytes. `protocol` is not settable: the kernel derives it from the packet, and the
 * context reports it.
 *
 * Minimum kernel: 5.2 (`__sk_buff` ctx_in).
 *
 * @throws ValidationError naming the field, the rule, the kernel's errno and (for version rules)
 * the minimum kernel
 */
export function skBuff(options: SkBuffOptions): SkBuffContext {
  const o = ctxOptions<SkBuffOptions>('__sk_buff', options, KNOWN);
  const target = checkTarget(o.target);
  const progType = (o.progType ?? 'SCHED_CLS') as SkbProgType;
  const ctxInSince = PROG_TYPES.get(progType);
  if (ctxInSince === undefined) {
    throw new ValidationError('progType', 'skb-prog-type', {
      message: `expected one of ${[...PROG_TYPES.keys()].join(', ')}, got ${describe(progType)}`,
    });
  }
  requireKernel(target, ctxInSince, '__sk_buff', 'an __sk_buff ctx_in');
  const packet = ctxBytes('packet', o.packet);
  ctxMinLength(packet.length, ETH_HLEN, 'an Ethernet header');
  for (const name of LAYOUT_FIELDS) {
    const value = (o as Record<string, unknown>)[name];
    if (value === undefined || Object.hasOwn(SK_BUFF_SETTABLE_SINCE, name)) continue;
    if (!isZero(value)) {
      throw new ValidationError(`__sk_buff.${name}`, 'not-settable', {
        message: 'the test run accepts only 0 here (the kernel sets it itself)',
        kernelCode: 'EINVAL',
      });
    }
  }
  const u32 = (name: keyof SkBuff): number => {
    const v = (o as Record<string, unknown>)[name];
    if (v === undefined) return 0;
    const n = ctxUint(`__sk_buff.${name}`, v, 32);
    if (n !== 0)
      requireKernel(target, SK_BUFF_SETTABLE_SINCE[name], `__sk_buff.${name}`, `setting __sk_buff.${name}`);
    return n;
  };
  const u64 = (name: 'tstamp' | 'hwtstamp', kernelCode: ErrnoName): bigint => {
    const v = (o as Record<string, unknown>)[name];
    if (v === undefined) return 0n;
    const n = ctxU64(`__sk_buff.${name}`, v);
    if (n !== 0n)
      requireKernel(
        target,
        SK_BUFF_SETTABLE_SINCE[name],
        `__sk_buff.${name}`,
        `setting __sk_buff.${name}`,
        kernelCode,
      );
    return n;
  };
  const cb = [0, 0, 0, 0, 0];
  if (o.cb !== undefined) {
    if (!Array.isArray(o.cb) || o.cb.length > 5) {
      throw new ValidationError('__sk_buff.cb', 'cb-words', {
        message: `expected up to 5 words, got ${describe(o.cb)}`,
        kernelCode: 'EINVAL',
      });
    }
    o.cb.forEach((w, i) => {
      cb[i] = ctxUint(`__sk_buff.cb[${i}]`, w, 32);
    });
  }
  const fields: SkBuff = {
    mark: u32('mark'),
    priority: u32('priority'),
    ingress_ifindex: u32('ingress_ifindex'),
    ifindex: u32('ifindex'),
    cb,
    tstamp: u64('tstamp', 'EINVAL'),
    wire_len: u32('wire_len'),
    gso_segs: u32('gso_segs'),
    gso_size: u32('gso_size'),
    // Kernels before 5.16 have a shorter struct: a non-zero hwtstamp lands in their "unknown tail".
    hwtstamp: u64('hwtstamp', 'E2BIG'),
  };
  const skbLen = L2_TYPES.has(progType) ? packet.length : packet.length - ETH_HLEN;
  if (fields.wire_len !== 0 && (fields.wire_len < skbLen || fields.wire_len > MAX_WIRE_LEN)) {
    throw new ValidationError('__sk_buff.wire_len', 'wire-len-range', {
      message: `must be 0 or between the skb length (${skbLen}) and ${MAX_WIRE_LEN}, got ${fields.wire_len}`,
      kernelCode: 'EINVAL',
    });
  }
  if (fields.gso_segs > MAX_GSO_SEGS) {
    throw new ValidationError('__sk_buff.gso_segs', 'max-gso-segs', {
      message: `must be at most ${MAX_GSO_SEGS}, got ${fields.gso_segs}`,
      kernelCode: 'EINVAL',
    });
  }
  const ctxIn = Buffer.alloc(L.size);
  ctxIn.writeUInt32LE(fields.mark, OFFSET.mark);
  ctxIn.writeUInt32LE(fields.priority, OFFSET.priority);
  ctxIn.writeUInt32LE(fields.ingress_ifindex, OFFSET.ingress_ifindex);
  ctxIn.writeUInt32LE(fields.ifindex, OFFSET.ifindex);
  for (let i = 0; i < 5; i++) ctxIn.writeUInt32LE(cb[i]!, OFFSET.cb + 4 * i);
  ctxIn.writeBigUInt64LE(fields.tstamp, OFFSET.tstamp);
  ctxIn.writeUInt32LE(fields.wire_len, OFFSET.wire_len);
  ctxIn.writeUInt32LE(fields.gso_segs, OFFSET.gso_segs);
  ctxIn.writeUInt32LE(fields.gso_size, OFFSET.gso_size);
  ctxIn.writeBigUInt64LE(fields.hwtstamp, OFFSET.hwtstamp);
  return new SkBuffContext(ctxIn, packet, fields, skbProtocolOf(packet), progType);
}
