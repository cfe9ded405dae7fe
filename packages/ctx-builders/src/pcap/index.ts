/**
 * Captures: read pcap and pcapng files (or bytes) into packets, whole or streamed, and write both formats.
 * Also exported from the package root; this subpath is for code that needs captures without the program
 * contexts.
 */
export { CaptureTruncatedError } from '../errors/capture-truncated-error.js';
export type { CaptureSource } from './capture-chunks.js';
export { decodeCapture, readCaptureFile } from './capture-reader.js';
export { type StreamCaptureOptions, streamCapture, streamCaptureBatches } from './capture-stream-reader.js';
export {
  type CaptureDestination,
  type StreamWriteOptions,
  writePcapngStream,
  writePcapStream,
} from './capture-stream-writer.js';
export { type CapturedPacket, firstLayerOf, LinkType } from './link-type.js';
export type { PacketToWrite } from './packet-to-write.js';
export { decodePcap, type PcapFile, readPcapFile } from './pcap-reader.js';
export { encodePcap, type PcapWriteOptions, PcapWriter } from './pcap-writer.js';
export type { PcapngInterface, PcapngPacket } from './pcapng-block-parser.js';
export { decodePcapng, type PcapngFile, readPcapngFile } from './pcapng-reader.js';
export {
  encodePcapng,
  type PcapngInterfaceOptions,
  type PcapngPacketToWrite,
  type PcapngWriteOptions,
  PcapngWriter,
} from './pcapng-writer.js';
