import { readFileSync } from 'node:fs';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import type { CapturedPacket } from './link-type.js';
import { PCAP_FILE_HEADER, PCAP_MAGIC_NS, PCAP_MAGIC_US, PCAP_RECORD_HEADER } from './pcap-format.js';

/** A classic pcap file, decoded. */
export interface PcapFile {
  /** Link type of every packet. */
  readonly linkType: number;
  /** Snap length from the header. */
  readonly snapLength: number;
  /** True for nanosecond timestamps. */
  readonly nanosecond: boolean;
  /** The packets, in file order. */
  readonly packets: readonly CapturedPacket[];
}

/**
 * Decodes a classic pcap file (either byte order, micro- or nanosecond timestamps).
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError (`field` `pcap.magic`, `pcap.records[N]`) for a bad magic or a truncated record
 */
export function decodePcap(bytes: Uint8Array): PcapFile {
  if (!(bytes instanceof Uint8Array))
    throw new PacketError('pcap', 'bytes', `expected bytes, got ${describe(bytes)}`);
  if (bytes.length < PCAP_FILE_HEADER) {
    throw new PacketError(
      'pcap.header',
      'truncated',
      `${bytes.length} bytes is shorter than the 24-byte pcap header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let little = true;
  let magic = view.getUint32(0, true);
  if (magic !== PCAP_MAGIC_US && magic !== PCAP_MAGIC_NS) {
    little = false;
    magic = view.getUint32(0, false);
  }
  if (magic !== PCAP_MAGIC_US && magic !== PCAP_MAGIC_NS) {
    throw new PacketError(
      'pcap.magic',
      'pcap-magic',
      `0x${view.getUint32(0, false).toString(16)} is not a pcap magic number`,
    );
  }
  const nanosecond = magic === PCAP_MAGIC_NS;
  const snapLength = view.getUint32(16, little);
  const linkType = view.getUint32(20, little) & 0x0fffffff;
  const packets: CapturedPacket[] = [];
  let p = PCAP_FILE_HEADER;
  while (p < bytes.length) {
    const field = `pcap.records[${packets.length}]`;
    if (p + PCAP_RECORD_HEADER > bytes.length)
      throw new PacketError(field, 'truncated', 'record header cut short');
    const sec = BigInt(view.getUint32(p, little));
    const frac = BigInt(view.getUint32(p + 4, little));
    const captured = view.getUint32(p + 8, little);
    const original = view.getUint32(p + 12, little);
    if (p + PCAP_RECORD_HEADER + captured > bytes.length) {
      throw new PacketError(field, 'truncated', `record of ${captured} bytes runs past the end of the file`);
    }
    packets.push({
      data: bytes.slice(p + PCAP_RECORD_HEADER, p + PCAP_RECORD_HEADER + captured),
      timestampNs: sec * 1_000_000_000n + (nanosecond ? frac : frac * 1000n),
      originalLength: Math.max(original, captured),
      linkType,
    });
    p += PCAP_RECORD_HEADER + captured;
  }
  return { linkType, snapLength, nanosecond, packets };
}

/**
 * Reads and decodes a classic pcap file.
 * @throws PacketError as {@link decodePcap}; Node's SystemError when the file cannot be read
 */
export function readPcapFile(path: string): PcapFile {
  return decodePcap(readFileSync(path));
}
