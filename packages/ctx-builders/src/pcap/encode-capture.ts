import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import type { CaptureEncoder } from './capture-encoder.js';
import { CaptureSink } from './capture-sink.js';

/**
 * A whole capture file in memory: the encoder's header and a record for each packet.
 * @throws PacketError naming `packets` when it is not iterable; the encoder's errors for a packet.
 */
export function encodeCapture<Packet>(encoder: CaptureEncoder<Packet>, packets: Iterable<Packet>): Buffer {
  if (
    typeof (packets as { [Symbol.iterator]?: unknown } | null | undefined)?.[Symbol.iterator] !== 'function'
  )
    throw new PacketError('packets', 'iterable', `expected an iterable of packets, got ${describe(packets)}`);
  const parts: Buffer[] = [];
  const sink = new CaptureSink(64 * 1024, (bytes) => parts.push(bytes));
  encoder.header(sink);
  let index = 0;
  for (const packet of packets) encoder.record(sink, packet, index++);
  sink.flush();
  return Buffer.concat(parts);
}
