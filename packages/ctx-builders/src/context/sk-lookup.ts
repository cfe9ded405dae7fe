import { fieldOf, layouts, programTypes, ValidationError } from '@progrun/uapi';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import { formatIpv4, writeIpv4 } from '../packet/ipv4-address.js';
import { formatIpv6, writeIpv6 } from '../packet/ipv6-address.js';
import { atLeast, ctxOptions, ctxUint } from './context-values.js';
import { checkTarget, type KernelTarget, requireKernel } from './kernel-target.js';
import type { TestRunOutput } from './test-run-output.js';

/** Address families of `bpf_sk_lookup.family`. */
export const AddressFamily = { INET: 2, INET6: 10 } as const;

/** `struct bpf_sk_lookup` as an SK_LOOKUP program sees it; addresses as text, ports in host order. */
export interface SkLookup {
  /** Cookie of the socket the program selected (ctx_out), 0 when none. */
  cookie: bigint;
  /** AF_INET (2) or AF_INET6 (10). */
  family: number;
  /** IPPROTO_TCP (6) or IPPROTO_UDP (17). */
  protocol: number;
  /** Remote address, IPv4 or IPv6 text per `family`. */
  remote_ip: string;
  /** Remote port. */
  remote_port: number;
  /** Local address, IPv4 or IPv6 text per `family`. */
  local_ip: string;
  /** Local port. */
  local_port: number;
  /** Ingress interface (6.1+ struct; a test run only accepts 0). */
  ingress_ifindex: number;
}

/** What {@link skLookup} takes. */
export interface SkLookupOptions {
  /** 'ipv4' / 'ipv6' or AF_INET / AF_INET6. Default: from the addresses (IPv4 when neither is given). */
  family?: 'ipv4' | 'ipv6' | number;
  /** 'tcp' / 'udp' or a protocol number. Default 'tcp'. */
  protocol?: 'tcp' | 'udp' | number;
  /** Remote address. Default 0.0.0.0 / ::. */
  remote_ip?: string;
  /** Remote port. Default 0. */
  remote_port?: number;
  /** Local address. Default 0.0.0.0 / ::. */
  local_ip?: string;
  /** Local port, 0..65535 (the kernel returns ERANGE above). Default 0. */
  local_port?: number;
  /** The kernel to check the rules for (default: the newest). */
  target?: KernelTarget;
}

const L = layouts.bpf_sk_lookup;
const off = (name: Parameters<typeof fieldOf<typeof L>>[1]) => fieldOf(L, name).offset;
const KNOWN = new Set(['family', 'protocol', 'remote_ip', 'remote_port', 'local_ip', 'local_port', 'target']);

/** Decodes `struct bpf_sk_lookup` bytes (ctx_out: `cookie` is the selected socket's). */
export function decodeSkLookup(bytes: Uint8Array): SkLookup {
  const b = Buffer.from(atLeast(bytes, L.size, 'ctxOut'));
  const family = b.readUInt32LE(off('family'));
  const v6 = family === AddressFamily.INET6;
  return {
    cookie: b.readBigUInt64LE(off('cookie')),
    family,
    protocol: b.readUInt32LE(off('protocol')),
    remote_ip: v6 ? formatIpv6(b, off('remote_ip6')) : formatIpv4(b, off('remote_ip4')),
    remote_port: b.readUInt16BE(off('remote_port')),
    local_ip: v6 ? formatIpv6(b, off('local_ip6')) : formatIpv4(b, off('local_ip4')),
    local_port: b.readUInt32LE(off('local_port')),
    ingress_ifindex: b.readUInt32LE(off('ingress_ifindex')),
  };
}

/** What an SK_LOOKUP run returns, decoded ({@link SkLookupContext.decode}). */
export interface SkLookupRun {
  /** `struct bpf_sk_lookup` after the run: `cookie` is the socket the program selected (0: none). */
  readonly ctx: SkLookup | undefined;
}

/** An SK_LOOKUP test-run input for `Program.run`: ctx_in only (the run takes no data). */
export class SkLookupContext {
  /**
   * @param ctxIn bytes for ctx_in (`struct bpf_sk_lookup`)
   * @param fields the context as sent
   */
  constructor(
    readonly ctxIn: Buffer,
    readonly fields: Readonly<SkLookup>,
  ) {}

  /** Decodes ctx_out; `cookie` identifies the socket the program selected (0: none). */
  decode(result: TestRunOutput): SkLookupRun {
    return { ctx: result.ctxOut && decodeSkLookup(result.ctxOut) };
  }
}

function address(field: string, value: unknown, v6: boolean, buf: Buffer, offset: number): void {
  try {
    if (v6) writeIpv6(buf, offset, value, field);
    else writeIpv4(buf, offset, value, field);
  } catch (err) {
    if (!PacketError.isInstance(err)) throw err;
    throw new ValidationError(field, err.rule, {
      message: `expected an ${v6 ? 'IPv6' : 'IPv4'} address, got ${describe(value)}`,
    });
  }
}

/**
 * Builds a `bpf_sk_lookup` context for an SK_LOOKUP test run. The kernel requires a ctx_in and no
 * data (data_in/data_out must be absent), rejects a non-zero `sk`/`cookie` and anything after
 * `local_port` (EINVAL), a local port above 65535 (ERANGE) and a family other than AF_INET/AF_INET6
 * (EAFNOSUPPORT); all are checked here.
 *
 * Minimum kernel: 5.13 (SK_LOOKUP test run).
 *
 * @throws ValidationError naming the field, the rule and the kernel's errno
 */
export function skLookup(options: SkLookupOptions = {}): SkLookupContext {
  const o = ctxOptions<SkLookupOptions>('bpf_sk_lookup', options, KNOWN);
  const target = checkTarget(o.target);
  requireKernel(target, programTypes.SK_LOOKUP.testRun.minKernel, 'bpf_sk_lookup', 'an SK_LOOKUP test run');
  const looksV6 = [o.remote_ip, o.local_ip].some((a) => typeof a === 'string' && a.includes(':'));
  let family: number;
  if (o.family === undefined) family = looksV6 ? AddressFamily.INET6 : AddressFamily.INET;
  else if (o.family === 'ipv4') family = AddressFamily.INET;
  else if (o.family === 'ipv6') family = AddressFamily.INET6;
  else family = ctxUint('bpf_sk_lookup.family', o.family, 32);
  if (family !== AddressFamily.INET && family !== AddressFamily.INET6) {
    throw new ValidationError('bpf_sk_lookup.family', 'address-family', {
      message: `must be AF_INET (2) or AF_INET6 (10), got ${describe(o.family)}`,
      kernelCode: 'EAFNOSUPPORT',
    });
  }
  let protocol: number;
  if (o.protocol === undefined || o.protocol === 'tcp') protocol = 6;
  else if (o.protocol === 'udp') protocol = 17;
  else protocol = ctxUint('bpf_sk_lookup.protocol', o.protocol, 32);
  const remotePort =
    o.remote_port === undefined ? 0 : ctxUint('bpf_sk_lookup.remote_port', o.remote_port, 16);
  const localPort = o.local_port === undefined ? 0 : ctxUint('bpf_sk_lookup.local_port', o.local_port, 32);
  if (localPort > 0xffff) {
    throw new ValidationError('bpf_sk_lookup.local_port', 'port-range', {
      message: `must be at most 65535, got ${localPort}`,
      kernelCode: 'ERANGE',
    });
  }
  const v6 = family === AddressFamily.INET6;
  const ctxIn = Buffer.alloc(L.size);
  ctxIn.writeUInt32LE(family, off('family'));
  ctxIn.writeUInt32LE(protocol, off('protocol'));
  address(
    'bpf_sk_lookup.remote_ip',
    o.remote_ip ?? (v6 ? '::' : '0.0.0.0'),
    v6,
    ctxIn,
    off(v6 ? 'remote_ip6' : 'remote_ip4'),
  );
  address(
    'bpf_sk_lookup.local_ip',
    o.local_ip ?? (v6 ? '::' : '0.0.0.0'),
    v6,
    ctxIn,
    off(v6 ? 'local_ip6' : 'local_ip4'),
  );
  // remote_port is network byte order in the first two bytes (a __u32 before 6.1, __be16 since).
  ctxIn.writeUInt16BE(remotePort, off('remote_port'));
  ctxIn.writeUInt32LE(localPort, off('local_port'));
  return new SkLookupContext(ctxIn, decodeSkLookup(ctxIn));
}
