/**
 * Captures: read pcap and pcapng files (or bytes) into packets, and write pcap. Also exported from the
 * package root; this subpath is for code that needs captures without the program contexts.
 */
export { decodeCapture, readCaptureFile } from './capture-reader.js';
export { type CapturedPacket, firstLayerOf, LinkType } from './link-type.js';
export { decodePcap, type PcapFile, readPcapFile } from './pcap-reader.js';
export { encodePcap, type PacketToWrite, type PcapWriteOptions, PcapWriter } from './pcap-writer.js';
export { decodePcapng, type PcapngFile, type PcapngInterface, readPcapngFile } from './pcapng-reader.js';
