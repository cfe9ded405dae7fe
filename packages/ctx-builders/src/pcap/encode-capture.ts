import type { CaptureEncoder } from './capture-encoder.js';
import { CaptureSink } from './capture-sink.js';
import { checkPackets } from './packet-to-write.js';

/**
 * A whole capture file in memory: the encoder's header and a record for each packet.
 * @throws PacketError naming `packets` when it is not iterable; the encoder's errors for a packet.
 */
export function encodeCapture<Packet>(encoder: CaptureEncoder<Packet>, packets: Iterable<Packet>): Buffer {
  checkPackets(packets, false);
  const parts: Buffer[] = [];
  const sink = new CaptureSink(64 * 1024, (bytes) => parts.push(bytes));
  encoder.header(sink);
  let index = 0;
  for (const packet of packets) encoder.record(sink, packet, index++);
  sink.flush();
  return Buffer.concat(parts);
}
