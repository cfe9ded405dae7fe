import { PacketError } from '../errors/packet-error.js';
import { PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap-format.js';
import { SHB } from './pcapng-format.js';

/** The two capture file formats. */
export type CaptureFormat = 'pcap' | 'pcapng';

/**
 * Tells the format from a file's first four bytes (`bytes` holds at least four).
 * @throws PacketError (`capture.magic`) when they start neither format
 */
export function captureFormatOf(bytes: Uint8Array): CaptureFormat {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
  const le = view.getUint32(0, true);
  const be = view.getUint32(0, false);
  if (le === SHB) return 'pcapng';
  if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS || be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) {
    return 'pcap';
  }
  throw new PacketError(
    'capture.magic',
    'capture-format',
    `0x${be.toString(16)} starts neither a pcap nor a pcapng file`,
  );
}
