import { PacketError } from '../errors/packet-error.js';
import { describe } from './field-checks.js';
import {
  encodeOptionList,
  hex,
  padOptionsTo4,
  parseHex,
  parseUintText,
  type RawOption,
  readRawOptions,
} from './tlv-options.js';

/**
 * One IPv4 option. Text forms: `eol`, `nop`, `ra` (router alert, RFC 2113), `rr:N` (record route with N
 * empty slots), `opt:TYPE:HEX` (any option, data in hex). Object form: `{ kind, data?, length? }` where
 * `length` overrides the length byte to build malformed options.
 */
export type Ipv4Option =
  | string
  | { kind: number; data?: Uint8Array | readonly number[] | string; length?: number };

const singleByte = (kind: number) => kind === 0 || kind === 1;

function fromText(field: string, text: string): RawOption {
  const parts = text.split(':');
  switch (parts[0]) {
    case 'eol':
      if (parts.length === 1) return { kind: 0 };
      break;
    case 'nop':
      if (parts.length === 1) return { kind: 1 };
      break;
    case 'ra':
      if (parts.length === 1) return { kind: 148, data: new Uint8Array(2) };
      break;
    case 'rr':
      if (parts.length === 2) {
        const slots = parseUintText(field, parts[1]!, 4);
        // Record route: pointer (4 = first slot), then 4-byte slots.
        const data = new Uint8Array(1 + 4 * slots);
        data[0] = 4;
        return { kind: 7, data };
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
    'ipv4-option',
    `unknown IPv4 option ${describe(text)}; use eol, nop, ra, rr:N or opt:TYPE:HEX`,
  );
}

/**
 * Encodes IPv4 options (or raw option bytes) and pads them with zeros (end-of-list) to a multiple of
 * 4 bytes. Throws a `PacketError` when they exceed the 40 bytes an IPv4 header can hold.
 */
export function encodeIpv4Options(value: unknown): Uint8Array {
  return padOptionsTo4(
    'ipv4.options',
    encodeOptionList('ipv4.options', value, fromText, singleByte),
    'an IPv4 header',
  );
}

/** Decodes IPv4 option bytes into their text forms, or returns the bytes when they are malformed. */
export function decodeIpv4Options(bytes: Uint8Array): string[] | Uint8Array {
  const raw = readRawOptions(bytes, singleByte);
  return raw ? raw.map(formatIpv4Option) : Uint8Array.from(bytes);
}

/** Lossless text form of one IPv4 option, as accepted by the builder and the spec parser. */
function formatIpv4Option(o: RawOption): string {
  if (o.kind === 0) return 'eol';
  if (o.kind === 1) return 'nop';
  if (o.kind === 148 && o.data?.length === 2 && o.data[0] === 0 && o.data[1] === 0) return 'ra';
  return `opt:${o.kind}:${hex(o.data ?? new Uint8Array(0))}`;
}
