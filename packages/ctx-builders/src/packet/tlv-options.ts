import { PacketError } from '../errors/packet-error.js';
import { toBytes } from './bytes-like.js';
import { checkUint, describe } from './field-checks.js';

/** A raw type-length-value option: `kind` byte, then (unless single-byte) a length byte and `data`. */
export interface RawOption {
  /** Option type / kind byte. */
  kind: number;
  /** Option data after the length byte. Absent for single-byte options. */
  data?: Uint8Array;
  /** Override of the length byte (default: 2 + data length) to build malformed options. */
  length?: number;
}

/** Writes raw options one after another; single-byte kinds get no length byte. Returns bytes written. */
export function writeRawOptions(
  field: string,
  options: readonly RawOption[],
  singleByte: (kind: number) => boolean,
): Uint8Array {
  let size = 0;
  for (const o of options) size += singleByte(o.kind) ? 1 : 2 + (o.data?.length ?? 0);
  const out = new Uint8Array(size);
  let p = 0;
  for (let i = 0; i < options.length; i++) {
    const o = options[i]!;
    out[p++] = o.kind;
    if (singleByte(o.kind)) continue;
    const data = o.data ?? new Uint8Array(0);
    const len = o.length === undefined ? 2 + data.length : checkUint(`${field}[${i}].length`, o.length, 8);
    if (o.length === undefined && len > 255) {
      throw new PacketError(
        `${field}[${i}]`,
        'option-length',
        `option data of ${data.length} bytes exceeds 253`,
      );
    }
    out[p++] = len;
    out.set(data, p);
    p += data.length;
  }
  return out;
}

/**
 * Splits option bytes into raw options. Returns undefined when a length byte is inconsistent (the
 * caller then keeps the bytes as they are). Bytes after an end-of-list option must all be zero padding;
 * they are consumed as further end-of-list options.
 */
export function readRawOptions(
  bytes: Uint8Array,
  singleByte: (kind: number) => boolean,
): RawOption[] | undefined {
  const out: RawOption[] = [];
  let p = 0;
  while (p < bytes.length) {
    const kind = bytes[p]!;
    if (singleByte(kind)) {
      out.push({ kind });
      p++;
      continue;
    }
    if (p + 1 >= bytes.length) return undefined;
    const len = bytes[p + 1]!;
    if (len < 2 || p + len > bytes.length) return undefined;
    out.push({ kind, data: Uint8Array.from(bytes.subarray(p + 2, p + len)) });
    p += len;
  }
  return out;
}

/** Validates a `{ kind, data?, length? }` option object given by the user. */
export function toRawOption(field: string, value: unknown): RawOption {
  if (typeof value !== 'object' || value === null) {
    throw new PacketError(field, 'option', `expected an option, got ${describe(value)}`);
  }
  const v = value as { kind?: unknown; data?: unknown; length?: unknown };
  const kind = checkUint(`${field}.kind`, v.kind, 8);
  const out: RawOption = { kind };
  if (v.data !== undefined) out.data = toBytes(`${field}.data`, v.data);
  if (v.length !== undefined) out.length = checkUint(`${field}.length`, v.length, 8);
  return out;
}

/** Lowercase hex of bytes, for option text forms (`opt:7:0403...`). */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses a hex string (even length, optional `0x`); throws a `PacketError` naming `field`. */
export function parseHex(field: string, text: string): Uint8Array {
  const t = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) {
    throw new PacketError(field, 'hex-bytes', `expected an even number of hex digits, got ${describe(text)}`);
  }
  return Uint8Array.from(Buffer.from(t, 'hex'));
}

/** Parses a non-negative decimal or 0x-hex integer that fits in `bits`; throws a `PacketError` naming `field`. */
export function parseUintText(field: string, text: string, bits: number): number {
  const n = /^0[xX][0-9a-fA-F]+$/.test(text)
    ? Number.parseInt(text, 16)
    : /^[0-9]+$/.test(text)
      ? Number(text)
      : NaN;
  return checkUint(field, Number.isNaN(n) ? text : n, bits);
}

/**
 * Encodes an option list given as text forms (through `fromText`) and `{ kind, data, length }` objects,
 * or raw option bytes given as they are. Returns the unpadded bytes.
 */
export function encodeOptionList(
  field: string,
  value: unknown,
  fromText: (field: string, text: string) => RawOption,
  singleByte: (kind: number) => boolean,
  toWire: (options: RawOption[]) => RawOption[] = (o) => o,
): Uint8Array {
  if (!Array.isArray(value)) return toBytes(field, value);
  const raw = value.map((o, i) =>
    typeof o === 'string' ? fromText(`${field}[${i}]`, o) : toRawOption(`${field}[${i}]`, o),
  );
  return writeRawOptions(field, toWire(raw), singleByte);
}

/**
 * Pads option bytes with zeros (end-of-list) to a multiple of 4, as IPv4 and TCP headers need.
 * @throws PacketError when they exceed the 40 bytes those headers hold
 */
export function padOptionsTo4(field: string, bytes: Uint8Array, header: string): Uint8Array {
  const padded = (bytes.length + 3) & ~3;
  if (padded > 40) {
    throw new PacketError(field, 'max-40-bytes', `options take ${padded} bytes; ${header} holds at most 40`);
  }
  if (padded === bytes.length) return bytes;
  const out = new Uint8Array(padded);
  out.set(bytes);
  return out;
}
