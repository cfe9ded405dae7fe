import { readFileSync } from 'node:fs';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import type { CapturedPacket } from './link-type.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const OPB = 2;
const SPB = 3;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IF_TSRESOL = 9;

/** One interface of a pcapng file (Interface Description Block). */
export interface PcapngInterface {
  readonly linkType: number;
  readonly snapLength: number;
  /** Timestamp units per second (`if_tsresol`; default 1e6). */
  readonly unitsPerSecond: bigint;
}

/** A pcapng file, decoded: its interfaces and their packets (enhanced, simple and obsolete packet blocks). */
export interface PcapngFile {
  /** Interfaces of every section, in file order. */
  readonly interfaces: readonly PcapngInterface[];
  /** Packets in file order; `interfaceId` indexes the interfaces of the file (all sections counted). */
  readonly packets: readonly (CapturedPacket & { readonly interfaceId: number })[];
}

function optionsOf(view: DataView, start: number, end: number, little: boolean): Map<number, Uint8Array> {
  const options = new Map<number, Uint8Array>();
  let p = start;
  while (p + 4 <= end) {
    const code = view.getUint16(p, little);
    const len = view.getUint16(p + 2, little);
    if (code === 0 || p + 4 + len > end) break;
    options.set(code, new Uint8Array(view.buffer, view.byteOffset + p + 4, len));
    p += 4 + ((len + 3) & ~3);
  }
  return options;
}

function unitsPerSecond(resolution: Uint8Array | undefined): bigint {
  if (!resolution || resolution.length < 1) return 1_000_000n;
  const v = resolution[0]!;
  return v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
}

/**
 * Decodes a pcapng file: every section (either byte order), interface descriptions with their timestamp
 * resolution, and enhanced, simple and obsolete packet blocks. Other blocks are skipped.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError (`field` `pcapng.blocks[N]`) for a missing section header, a bad block length, or a
 * packet naming an unknown interface
 */
export function decodePcapng(bytes: Uint8Array): PcapngFile {
  if (!(bytes instanceof Uint8Array))
    throw new PacketError('pcapng', 'bytes', `expected bytes, got ${describe(bytes)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const interfaces: PcapngInterface[] = [];
  const packets: (CapturedPacket & { interfaceId: number })[] = [];
  let sectionBase = -1;
  let little = true;
  let p = 0;
  let block = 0;
  while (p < bytes.length) {
    const field = `pcapng.blocks[${block}]`;
    if (p + 12 > bytes.length) throw new PacketError(field, 'truncated', 'block header cut short');
    const typeLE = view.getUint32(p, true);
    if (typeLE === SHB) {
      const bom = view.getUint32(p + 8, true);
      if (bom === BYTE_ORDER_MAGIC) little = true;
      else if (view.getUint32(p + 8, false) === BYTE_ORDER_MAGIC) little = false;
      else throw new PacketError(field, 'pcapng-byte-order', 'section header without a byte-order magic');
      sectionBase = interfaces.length;
    } else if (sectionBase < 0) {
      throw new PacketError(field, 'pcapng-magic', 'not a pcapng file (no section header block first)');
    }
    const type = view.getUint32(p, little);
    const len = view.getUint32(p + 4, little);
    if (len < 12 || len % 4 !== 0 || p + len > bytes.length || view.getUint32(p + len - 4, little) !== len) {
      throw new PacketError(
        field,
        'pcapng-block-length',
        `block length ${len} is invalid or runs past the end`,
      );
    }
    const body = p + 8;
    const end = p + len - 4;
    const packet = (
      ifaceRel: number,
      tsHigh: number,
      tsLow: number,
      captured: number,
      original: number,
      data: number,
    ) => {
      const interfaceId = sectionBase + ifaceRel;
      const iface = interfaces[interfaceId];
      if (!iface || ifaceRel < 0)
        throw new PacketError(field, 'pcapng-interface', `unknown interface ${ifaceRel}`);
      if (data + captured > end) throw new PacketError(field, 'truncated', 'packet data runs past the block');
      const units = (BigInt(tsHigh) << 32n) | BigInt(tsLow);
      packets.push({
        data: bytes.slice(data, data + captured),
        timestampNs: (units * 1_000_000_000n) / iface.unitsPerSecond,
        originalLength: Math.max(original, captured),
        linkType: iface.linkType,
        interfaceId,
      });
    };
    if (type === IDB && end - body >= 8) {
      interfaces.push({
        linkType: view.getUint16(body, little),
        snapLength: view.getUint32(body + 4, little),
        unitsPerSecond: unitsPerSecond(optionsOf(view, body + 8, end, little).get(IF_TSRESOL)),
      });
    } else if ((type === EPB || type === OPB) && end - body >= 20) {
      // The obsolete packet block has a 16-bit interface id (then a drop count) where EPB has 32 bits.
      packet(
        type === EPB ? view.getUint32(body, little) : view.getUint16(body, little),
        view.getUint32(body + 4, little),
        view.getUint32(body + 8, little),
        view.getUint32(body + 12, little),
        view.getUint32(body + 16, little),
        body + 20,
      );
    } else if (type === SPB && end - body >= 4) {
      const original = view.getUint32(body, little);
      const snap = interfaces[sectionBase]?.snapLength || original;
      packet(0, 0, 0, Math.min(original, snap, end - body - 4), original, body + 4);
    }
    p += len;
    block++;
  }
  return { interfaces, packets };
}

/**
 * Reads and decodes a pcapng file.
 * @throws PacketError as {@link decodePcapng}; Node's SystemError when the file cannot be read
 */
export function readPcapngFile(path: string): PcapngFile {
  return decodePcapng(readFileSync(path));
}
