import { types } from 'node:util';
import type { FieldType } from './field-type.js';
import { formatIpv4Flags } from './ipv4.js';
import { formatIpv4 } from './ipv4-address.js';
import { formatIpv6 } from './ipv6-address.js';
import { formatMac } from './mac-address.js';
import { formatTcpFlags } from './tcp.js';
import { hex } from './tlv-options.js';

const PRINTABLE = /^[\x20-\x7e]*$/;

/** Quotes a string for the spec grammar (`"..."` with `\"`, `\\`, `\n`, `\r`, `\t`, `\xHH` escapes). */
export function quoteSpecString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function formatBytes(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return bytes.length > 0 && PRINTABLE.test(text) ? quoteSpecString(text) : `0x${hex(bytes)}`;
}

function formatList(items: readonly unknown[], each: (v: unknown) => string): string {
  return `[${items.map(each).join(',')}]`;
}

/**
 * Text form of a field value in the spec grammar: decimal or hex numbers, addresses, quoted strings or
 * `0x` hex for bytes, `[a,b]` lists, flag letters. Used for spec strings and packet diffs.
 */
export function formatFieldValue(type: FieldType, value: unknown): string {
  if (types.isUint8Array(value)) {
    switch (type.type) {
      case 'mac':
        if (value.length === 6) return formatMac(value);
        break;
      case 'ipv4':
        if (value.length === 4) return formatIpv4(value);
        break;
      case 'ipv6':
        if (value.length === 16) return formatIpv6(value);
        break;
    }
    return formatBytes(value);
  }
  switch (type.type) {
    case 'uint':
      return typeof value === 'number' && type.hex
        ? `0x${value.toString(16).padStart(Math.ceil(type.bits / 4), '0')}`
        : String(value);
    case 'ipv4-flags':
      return typeof value === 'number' ? formatIpv4Flags(value) : String(value);
    case 'tcp-flags': {
      const letters = typeof value === 'number' ? formatTcpFlags(value) : String(value);
      return letters === '' ? '0' : letters;
    }
    case 'bytes':
      if (typeof value === 'string') return quoteSpecString(value);
      if (Array.isArray(value)) return formatBytes(Uint8Array.from(value as number[]));
      return String(value);
    case 'ipv6-list':
      return Array.isArray(value)
        ? formatList(value, (v) => formatFieldValue({ type: 'ipv6' }, v))
        : String(value);
    case 'ipv4-options':
    case 'ipv6-options':
    case 'tcp-options':
      return Array.isArray(value)
        ? formatList(value, (v) => (typeof v === 'string' ? v : objectOption(v)))
        : String(value);
    default:
      return String(value);
  }
}

function objectOption(v: unknown): string {
  const o = v as { kind: number; data?: Uint8Array | readonly number[] | string };
  const data =
    o.data === undefined
      ? new Uint8Array(0)
      : typeof o.data === 'string'
        ? Buffer.from(o.data)
        : Uint8Array.from(o.data);
  return `opt:${o.kind}:${hex(data)}`;
}
