import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';
import { encodeOptionList, hex, parseHex, parseUintText, type RawOption } from './tlv-options.js';

/**
 * One option of an IPv6 hop-by-hop or destination options header (RFC 8200 section 4.2). Text forms:
 * `pad1`, `padn:N` (N bytes in all), `ra:VALUE` (router alert, RFC 2711), `jumbo:LENGTH` (RFC 2675),
 * `opt:TYPE:HEX`. Object form: `{ kind, data?, length? }` where `length` overrides the data-length byte.
 */
export type Ipv6Option =
  | string
  | { kind: number; data?: Uint8Array | readonly number[] | string; length?: number };

// Only Pad1 is a single byte; in IPv6 options the length byte counts the data alone.
const singleByte = (kind: number) => kind === 0;

function fromText(field: string, text: string): RawOption {
  const parts = text.split(':');
  switch (parts[0]) {
    case 'pad1':
      if (parts.length === 1) return { kind: 0 };
      break;
    case 'padn':
      if (parts.length === 2) {
        const n = parseUintText(field, parts[1]!, 8);
        if (n >= 2) return { kind: 1, data: new Uint8Array(n - 2) };
      }
      break;
    case 'ra':
      if (parts.length === 2) {
        const v = parseUintText(field, parts[1]!, 16);
        return { kind: 5, data: Uint8Array.of(v >> 8, v & 0xff) };
      }
      break;
    case 'jumbo':
      if (parts.length === 2) {
        const v = parseUintText(field, parts[1]!, 32);
        return { kind: 0xc2, data: Uint8Array.of(v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff) };
      }
      break;
    case 'opt':
      if (parts.length === 2 || parts.length === 3) {
        return { kind: parseUintText(field, parts[1]!, 8), data: parseHex(field, parts[2] ?? '') };
      }
      break;
  }
  throw new PacketError(
    field,
    'ipv6-option',
    `unknown IPv6 option ${describe(text)}; use pad1, padn:N, ra:V, jumbo:N or opt:TYPE:HEX`,
  );
}

// writeRawOptions writes 2 + data as the length byte; IPv6 wants the data length alone.
function toWire(options: RawOption[]): RawOption[] {
  return options.map((o) =>
    o.kind === 0 || o.length !== undefined ? o : { ...o, length: o.data?.length ?? 0 },
  );
}

/**
 * Encodes IPv6 options (or raw option bytes) and pads them with Pad1/PadN so that the header
 * (2 bytes + options) is a multiple of 8 bytes.
 */
export function encodeIpv6Options(field: string, value: unknown): Uint8Array {
  const bytes = encodeOptionList(field, value, fromText, singleByte, toWire);
  const pad = (8 - ((bytes.length + 2) % 8)) % 8;
  if (pad === 0) return bytes;
  const out = new Uint8Array(bytes.length + pad);
  out.set(bytes);
  if (pad === 1) out[bytes.length] = 0;
  else {
    out[bytes.length] = 1;
    out[bytes.length + 1] = pad - 2;
  }
  return out;
}

/** Decodes IPv6 option bytes into their text forms, or returns the bytes when they are malformed. */
export function decodeIpv6Options(bytes: Uint8Array): string[] | Uint8Array {
  // Unlike IPv4 and TCP, the length byte counts the data alone.
  const out: string[] = [];
  let p = 0;
  while (p < bytes.length) {
    const kind = bytes[p]!;
    if (kind === 0) {
      out.push('pad1');
      p++;
      continue;
    }
    if (p + 1 >= bytes.length || p + 2 + bytes[p + 1]! > bytes.length) return Uint8Array.from(bytes);
    out.push(formatIpv6Option(kind, bytes.subarray(p + 2, p + 2 + bytes[p + 1]!)));
    p += 2 + bytes[p + 1]!;
  }
  return out;
}

/** Lossless text form of one IPv6 option (not Pad1), as accepted by the builder and the spec parser. */
function formatIpv6Option(kind: number, d: Uint8Array): string {
  if (kind === 1 && d.every((b) => b === 0)) return `padn:${d.length + 2}`;
  if (kind === 5 && d.length === 2) return `ra:${(d[0]! << 8) | d[1]!}`;
  if (kind === 0xc2 && d.length === 4)
    return `jumbo:${((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0}`;
  return `opt:${kind}:${hex(d)}`;
}
