import { readFileSync } from 'node:fs';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import { captureFormatOf } from './capture-format.js';
import { checkCapturePath } from './capture-path.js';
import type { CapturedPacket } from './link-type.js';
import { decodePcap } from './pcap-reader.js';
import { decodePcapng } from './pcapng-reader.js';

/**
 * Decodes a capture file of either format, told apart by its first four bytes: classic pcap or pcapng.
 * Each packet carries its link type; pass `firstLayerOf(packet.linkType)` to `decodePacket`. For captures
 * too large to hold in memory use {@link streamCapture}.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for an unknown format or a malformed file; CaptureTruncatedError, carrying the
 *   complete packets, when the last record is cut short
 */
export function decodeCapture(bytes: Uint8Array): readonly CapturedPacket[] {
  if (!(bytes instanceof Uint8Array) || bytes.length < 4) {
    throw new PacketError(
      'capture',
      'capture-format',
      `expected a pcap or pcapng file, got ${describe(bytes)}`,
    );
  }
  return captureFormatOf(bytes) === 'pcapng' ? decodePcapng(bytes).packets : decodePcap(bytes).packets;
}

/**
 * Reads a pcap or pcapng file whole. Takes a path, never a descriptor number (Node's file functions would
 * read a descriptor, and fd 0 or 2 waits on the terminal); for a stream, or a file larger than memory, use
 * {@link streamCapture}.
 * @throws PacketError (`path`, `file-path`) for anything but a non-empty string or a URL, and as
 *   {@link decodeCapture}; Node's SystemError when the file cannot be read
 */
export function readCaptureFile(path: string | URL): readonly CapturedPacket[] {
  return decodeCapture(readFileSync(checkCapturePath(path)));
}
