import { readFileSync } from 'node:fs';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import type { CapturedPacket } from './link-type.js';
import { PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap-format.js';
import { decodePcap } from './pcap-reader.js';
import { decodePcapng } from './pcapng-reader.js';

/**
 * Decodes a capture file of either format, told apart by its first four bytes: classic pcap or pcapng.
 * Each packet carries its link type; pass `firstLayerOf(packet.linkType)` to `decodePacket`.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for an unknown format or a malformed file
 */
export function decodeCapture(bytes: Uint8Array): readonly CapturedPacket[] {
  if (!(bytes instanceof Uint8Array) || bytes.length < 4) {
    throw new PacketError(
      'capture',
      'capture-format',
      `expected a pcap or pcapng file, got ${describe(bytes)}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = view.getUint32(0, true);
  const be = view.getUint32(0, false);
  if (le === 0x0a0d0d0a) return decodePcapng(bytes).packets;
  if ([PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(le) || [PCAP_MAGIC_US, PCAP_MAGIC_NS].includes(be)) {
    return decodePcap(bytes).packets;
  }
  throw new PacketError(
    'capture.magic',
    'capture-format',
    `0x${be.toString(16)} starts neither a pcap nor a pcapng file`,
  );
}

/**
 * Reads a pcap or pcapng file.
 * @throws PacketError as {@link decodeCapture}; Node's SystemError when the file cannot be read
 */
export function readCaptureFile(path: string): readonly CapturedPacket[] {
  return decodeCapture(readFileSync(path));
}
