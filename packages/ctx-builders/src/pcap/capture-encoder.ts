import type { CaptureSink } from './capture-sink.js';

/** Writes one capture format into a {@link CaptureSink}: the file's header, then a record per packet. */
export interface CaptureEncoder<Packet> {
  /** Writes the file header (pcap) or the section header and interface blocks (pcapng). */
  header(sink: CaptureSink): void;
  /**
   * Writes one packet's record; `index` names the packet in errors.
   * @throws PacketError for a packet that is not bytes, a bad timestamp, interface or comment
   */
  record(sink: CaptureSink, packet: Packet, index: number): void;
}
