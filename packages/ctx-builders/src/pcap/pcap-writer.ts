import { checkUint, optionsObject } from '../packet/field-checks.js';
import type { CaptureEncoder } from './capture-encoder.js';
import { CaptureFileWriter } from './capture-file-writer.js';
import { encodeCapture } from './encode-capture.js';
import { LinkType } from './link-type.js';
import { type PacketToWrite, packetData, packetTimestamp } from './packet-to-write.js';
import {
  DEFAULT_SNAP_LENGTH,
  PCAP_FILE_HEADER,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
  PCAP_RECORD_HEADER,
} from './pcap-format.js';

/** Options of a pcap file. */
export interface PcapWriteOptions {
  /** Link type of every packet. Default {@link LinkType.ETHERNET}. */
  linkType?: number;
  /** Snap length in the header; longer packets are cut to it. Default 262144. */
  snapLength?: number;
  /** Nanosecond timestamps (magic 0xa1b23c4d) instead of microseconds. Default true. */
  nanosecond?: boolean;
}

/** The classic pcap encoder: a 24-byte header (little-endian, version 2.4), then a record per packet. */
export function pcapEncoder(options: PcapWriteOptions): CaptureEncoder<PacketToWrite> {
  options = optionsObject<PcapWriteOptions>('options', options);
  const linkType =
    options.linkType === undefined ? LinkType.ETHERNET : checkUint('pcap.linkType', options.linkType, 16);
  const snap =
    options.snapLength === undefined
      ? DEFAULT_SNAP_LENGTH
      : checkUint('pcap.snapLength', options.snapLength, 31);
  const ns = options.nanosecond ?? true;
  return {
    header(sink) {
      sink.reserve(PCAP_FILE_HEADER);
      const b = sink.buffer;
      const o = sink.offset;
      b.fill(0, o, o + PCAP_FILE_HEADER);
      b.writeUInt32LE(ns ? PCAP_MAGIC_NS : PCAP_MAGIC_US, o);
      b.writeUInt16LE(2, o + 4);
      b.writeUInt16LE(4, o + 6);
      b.writeUInt32LE(snap, o + 16);
      b.writeUInt32LE(linkType, o + 20);
      sink.offset = o + PCAP_FILE_HEADER;
    },
    record(sink, packet, index) {
      const data = packetData(packet, index);
      const ts = packetTimestamp(packet, index);
      const captured = Math.min(data.length, snap);
      sink.reserve(PCAP_RECORD_HEADER + captured);
      const b = sink.buffer;
      const o = sink.offset;
      const fraction = ts % 1_000_000_000n;
      b.writeUInt32LE(Number(ts / 1_000_000_000n) >>> 0, o);
      b.writeUInt32LE(Number(ns ? fraction : fraction / 1000n), o + 4);
      b.writeUInt32LE(captured, o + 8);
      b.writeUInt32LE(data.length, o + 12);
      b.set(captured === data.length ? data : data.subarray(0, captured), o + PCAP_RECORD_HEADER);
      sink.offset = o + PCAP_RECORD_HEADER + captured;
    },
  };
}

/**
 * Encodes packets as a classic pcap file (little-endian, version 2.4) that Wireshark and tcpdump open.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for a packet that is not bytes, a bad timestamp or option
 */
export function encodePcap(packets: Iterable<PacketToWrite>, options: PcapWriteOptions = {}): Buffer {
  return encodeCapture(pcapEncoder(options), packets);
}

/**
 * Writes packets to a pcap file as they come, 256 KiB at a time. Close it with `close()` or `using`; a
 * writer that is garbage-collected unclosed is closed with a warning.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export class PcapWriter extends CaptureFileWriter<PacketToWrite> {
  /**
   * Creates (or truncates) a pcap file and writes its header.
   * @throws PacketError for a path that is not a string or URL, or a bad option; Node's SystemError when
   *   the file cannot be opened
   */
  static open(path: string | URL, options: PcapWriteOptions = {}): PcapWriter {
    const encoder = pcapEncoder(options);
    return new PcapWriter(CaptureFileWriter.pathOf(path), encoder);
  }
}
