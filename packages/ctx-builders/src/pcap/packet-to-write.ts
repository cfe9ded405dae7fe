import { types } from 'node:util';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';

/** A packet to write: bytes, or bytes with a timestamp (ns since the epoch; default: now). */
export type PacketToWrite = Uint8Array | { readonly data: Uint8Array; readonly timestampNs?: bigint };

/**
 * The bytes of a packet to write.
 * @throws PacketError (`packets[N]`) for anything but bytes or an object holding them in `data`
 */
export function packetData(packet: PacketToWrite, index: number): Uint8Array {
  // types.isUint8Array reads the internal slot: a Proxy around a Buffer passes instanceof, and then
  // its length getters throw.
  const data = types.isUint8Array(packet) ? packet : types.isProxy(packet) ? undefined : packet?.data;
  if (!types.isUint8Array(data)) {
    throw new PacketError(`packets[${index}]`, 'bytes', `expected packet bytes, got ${describe(packet)}`);
  }
  return data;
}

/**
 * The timestamp of a packet to write, in ns since the epoch: its own, or now.
 * @throws PacketError (`packets[N].timestampNs`) for a timestamp that is not a non-negative bigint
 */
export function packetTimestamp(packet: PacketToWrite, index: number): bigint {
  const given = types.isUint8Array(packet) ? undefined : packet.timestampNs;
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

/**
 * Checks the packets a capture writer takes: an iterable (or, when `orAsync`, an async iterable), not a
 * Proxy (the engine's own iteration of one around a Buffer throws a TypeError) and not bytes (one packet
 * is not a list of them).
 * @throws PacketError naming `packets`
 */
export function checkPackets(packets: unknown, orAsync: boolean): void {
  const iterable = packets as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null;
  const iterates =
    !types.isProxy(packets) &&
    !ArrayBuffer.isView(packets) &&
    (typeof iterable?.[Symbol.iterator] === 'function' ||
      (orAsync && typeof iterable?.[Symbol.asyncIterator] === 'function'));
  if (!iterates) {
    const what = orAsync ? 'an iterable or async iterable of packets' : 'an iterable of packets';
    throw new PacketError('packets', 'iterable', `expected ${what}, got ${describe(packets)}`);
  }
}
