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
 * One TCP option. Text forms: `eol`, `nop`, `mss:1460`, `wscale:7`, `sackok`, `ts:TSVAL:TSECR`,
 * `sack:LEFT-RIGHT[:LEFT-RIGHT...]`, `opt:KIND:HEX`. Object form: `{ kind, data?, length? }` where
 * `length` overrides the length byte to build malformed options.
 */
export type TcpOption =
  | string
  | { kind: number; data?: Uint8Array | readonly number[] | string; length?: number };

const singleByte = (kind: number) => kind === 0 || kind === 1;

function u32(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function fromText(field: string, text: string): RawOption {
  const parts = text.split(':');
  const [name] = parts;
  if (name === 'eol' && parts.length === 1) return { kind: 0 };
  if (name === 'nop' && parts.length === 1) return { kind: 1 };
  if (name === 'sackok' && parts.length === 1) return { kind: 4, data: new Uint8Array(0) };
  if (name === 'mss' && parts.length === 2) {
    const v = parseUintText(field, parts[1]!, 16);
    return { kind: 2, data: Uint8Array.of(v >> 8, v & 0xff) };
  }
  if (name === 'wscale' && parts.length === 2)
    return { kind: 3, data: Uint8Array.of(parseUintText(field, parts[1]!, 8)) };
  if (name === 'ts' && parts.length === 3) {
    const data = new Uint8Array(8);
    data.set(u32(parseUintText(field, parts[1]!, 32)), 0);
    data.set(u32(parseUintText(field, parts[2]!, 32)), 4);
    return { kind: 8, data };
  }
  if (name === 'sack' && parts.length >= 2 && parts.length <= 5) {
    const data = new Uint8Array(8 * (parts.length - 1));
    for (let i = 1; i < parts.length; i++) {
      const edges = parts[i]!.split('-');
      if (edges.length !== 2) break;
      data.set(u32(parseUintText(field, edges[0]!, 32)), 8 * (i - 1));
      data.set(u32(parseUintText(field, edges[1]!, 32)), 8 * (i - 1) + 4);
      if (i === parts.length - 1) return { kind: 5, data };
    }
  }
  if (name === 'opt' && (parts.length === 2 || parts.length === 3)) {
    return { kind: parseUintText(field, parts[1]!, 8), data: parseHex(field, parts[2] ?? '') };
  }
  throw new PacketError(
    field,
    'tcp-option',
    `unknown TCP option ${describe(text)}; use eol, nop, mss:N, wscale:N, sackok, ts:V:E, sack:L-R, opt:KIND:HEX`,
  );
}

/**
 * Encodes TCP options (or raw option bytes) and pads them with zeros (end-of-list) to a multiple of
 * 4 bytes. Throws a `PacketError` when they exceed the 40 bytes a TCP header can hold.
 */
export function encodeTcpOptions(value: unknown): Uint8Array {
  return padOptionsTo4(
    'tcp.options',
    encodeOptionList('tcp.options', value, fromText, singleByte),
    'a TCP header',
  );
}

function readU32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

/** Lossless text form of one TCP option. */
function formatTcpOption(o: RawOption): string {
  const d = o.data ?? new Uint8Array(0);
  switch (o.kind) {
    case 0:
      return 'eol';
    case 1:
      return 'nop';
    case 2:
      if (d.length === 2) return `mss:${(d[0]! << 8) | d[1]!}`;
      break;
    case 3:
      if (d.length === 1) return `wscale:${d[0]}`;
      break;
    case 4:
      if (d.length === 0) return 'sackok';
      break;
    case 5:
      if (d.length > 0 && d.length <= 32 && d.length % 8 === 0) {
        const blocks: string[] = [];
        for (let i = 0; i < d.length; i += 8) blocks.push(`${readU32(d, i)}-${readU32(d, i + 4)}`);
        return `sack:${blocks.join(':')}`;
      }
      break;
    case 8:
      if (d.length === 8) return `ts:${readU32(d, 0)}:${readU32(d, 4)}`;
      break;
  }
  return `opt:${o.kind}:${hex(d)}`;
}

/** Decodes TCP option bytes into their text forms, or returns the bytes when they are malformed. */
export function decodeTcpOptions(bytes: Uint8Array): string[] | Uint8Array {
  const raw = readRawOptions(bytes, singleByte);
  return raw ? raw.map(formatTcpOption) : Uint8Array.from(bytes);
}
