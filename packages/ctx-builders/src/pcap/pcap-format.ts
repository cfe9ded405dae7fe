/** Magic number of a classic pcap file with microsecond timestamps. */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
/** Magic number of a classic pcap file with nanosecond timestamps. */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Size of the pcap file header. */
export const PCAP_FILE_HEADER = 24;
/** Size of a pcap record header. */
export const PCAP_RECORD_HEADER = 16;
/** Default snap length (tcpdump's). */
export const DEFAULT_SNAP_LENGTH = 262144;
/**
 * Largest record (pcap) or block (pcapng) the readers accept: far above any packet a capture holds, and
 * the bound on what a streaming reader buffers for one record.
 */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
