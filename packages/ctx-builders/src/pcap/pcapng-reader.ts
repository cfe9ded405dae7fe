import { readFileSync } from 'node:fs';
import { CaptureTruncatedError } from '../errors/capture-truncated-error.js';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import { checkCapturePath } from './capture-path.js';
import { PcapngBlockParser, type PcapngInterface, type PcapngPacket } from './pcapng-block-parser.js';

/** A pcapng file, decoded: its interfaces and their packets (enhanced, simple and obsolete packet blocks). */
export interface PcapngFile {
  /** Interfaces of every section, in file order. */
  readonly interfaces: readonly PcapngInterface[];
  /** Packets in file order; `interfaceId` indexes the interfaces of the file (all sections counted). */
  readonly packets: readonly PcapngPacket[];
}

/**
 * Decodes a pcapng file: every section (either byte order), interface descriptions with their timestamp
 * resolution, name and description, and enhanced (with their comments), simple and obsolete packet
 * blocks. Other blocks are skipped. Packets are copies, independent of `bytes`.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError (`field` `pcapng.blocks[N]`) for a missing section header, a bad block length, or a
 *   packet naming an unknown interface; CaptureTruncatedError, carrying the complete packets, when the
 *   last block is cut short
 */
export function decodePcapng(bytes: Uint8Array): PcapngFile {
  if (!(bytes instanceof Uint8Array))
    throw new PacketError('pcapng', 'bytes', `expected bytes, got ${describe(bytes)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parser = new PcapngBlockParser();
  const packets: PcapngPacket[] = [];
  let p = 0;
  while (p < bytes.length) {
    const packet = parser.read(bytes, view, p, bytes.length, true);
    if (packet === undefined) {
      throw new CaptureTruncatedError(`pcapng.blocks[${parser.count}]`, {
        packetCount: packets.length,
        offset: p,
        presentBytes: bytes.length - p,
        recordBytes: parser.needed,
        packets,
      });
    }
    if (packet !== null) packets.push(packet);
    p = parser.end;
  }
  return { interfaces: parser.interfaces, packets };
}

/**
 * Reads and decodes a pcapng file.
 * @throws PacketError for a path that is not a string or URL (a descriptor number included), and as
 *   {@link decodePcapng}; Node's SystemError when the file cannot be read
 */
export function readPcapngFile(path: string | URL): PcapngFile {
  return decodePcapng(readFileSync(checkCapturePath(path)));
}
