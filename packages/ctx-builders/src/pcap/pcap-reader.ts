import { readFileSync } from 'node:fs';
import { CaptureTruncatedError } from '../errors/capture-truncated-error.js';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import { checkCapturePath } from './capture-path.js';
import type { CapturedPacket } from './link-type.js';
import { PCAP_FILE_HEADER } from './pcap-format.js';
import { PcapRecordParser } from './pcap-record-parser.js';

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
 * Decodes a classic pcap file (either byte order, micro- or nanosecond timestamps). Packets are copies,
 * independent of `bytes`.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError (`field` `pcap.header`, `pcap.magic`, `pcap.records[N]`) for a short header, a bad
 *   magic or an impossible record length; CaptureTruncatedError, carrying the complete packets, when the
 *   last record is cut short
 */
export function decodePcap(bytes: Uint8Array): PcapFile {
  if (!(bytes instanceof Uint8Array))
    throw new PacketError('pcap', 'bytes', `expected bytes, got ${describe(bytes)}`);
  const parser = PcapRecordParser.fromHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: CapturedPacket[] = [];
  let p = PCAP_FILE_HEADER;
  while (p < bytes.length) {
    const packet = parser.read(bytes, view, p, bytes.length, true);
    if (packet === undefined) {
      throw new CaptureTruncatedError(`pcap.records[${packets.length}]`, {
        packetCount: packets.length,
        offset: p,
        presentBytes: bytes.length - p,
        recordBytes: parser.needed,
        packets,
      });
    }
    packets.push(packet);
    p = parser.end;
  }
  const { linkType, snapLength, nanosecond } = parser;
  return { linkType, snapLength, nanosecond, packets };
}

/**
 * Reads and decodes a classic pcap file.
 * @throws PacketError for a path that is not a string or URL (a descriptor number included), and as
 *   {@link decodePcap}; Node's SystemError when the file cannot be read
 */
export function readPcapFile(path: string | URL): PcapFile {
  return decodePcap(readFileSync(checkCapturePath(path)));
}
