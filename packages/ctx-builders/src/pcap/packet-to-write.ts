import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';

/** A packet to write: bytes, or bytes with a timestamp (ns since the epoch; default: now). */
export type PacketToWrite = Uint8Array | { readonly data: Uint8Array; readonly timestampNs?: bigint };

/**
 * The bytes of a packet to write.
 * @throws PacketError (`packets[N]`) for anything but bytes or an object holding them in `data`
 */
export function packetData(packet: PacketToWrite, index: number): Uint8Array {
  const data = packet instanceof Uint8Array ? packet : packet?.data;
  if (!(data instanceof Uint8Array)) {
    throw new PacketError(`packets[${index}]`, 'bytes', `expected packet bytes, got ${describe(packet)}`);
  }
  return data;
}

/**
 * The timestamp of a packet to write, in ns since the epoch: its own, or now.
 * @throws PacketError (`packets[N].timestampNs`) for a timestamp that is not a non-negative bigint
 */
export function packetTimestamp(packet: PacketToWrite, index: number): bigint {
  const given = packet instanceof Uint8Array ? undefined : packet.timestampNs;
  if (given === undefined) return BigInt(Date.now()) * 1_000_000n;
  if (typeof given !== 'bigint' || given < 0n) {
    throw new PacketError(
      `packets[${index}].timestampNs`,
      'timestamp',
      `expected a non-negative bigint, got ${describe(given)}`,
    );
  }
  return given;
}
