import { closeSync, openSync, writeSync } from 'node:fs';
import { PacketError } from '../errors/packet-error.js';
import { checkUint, describe } from '../packet/field-checks.js';
import { LinkType } from './link-type.js';
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

/** A packet to write: bytes, or bytes with a timestamp (ns since the epoch; default: now). */
export type PacketToWrite = Uint8Array | { readonly data: Uint8Array; readonly timestampNs?: bigint };

function header(options: PcapWriteOptions): { bytes: Buffer; snap: number; ns: boolean } {
  const linkType =
    options.linkType === undefined ? LinkType.ETHERNET : checkUint('pcap.linkType', options.linkType, 16);
  const snap =
    options.snapLength === undefined
      ? DEFAULT_SNAP_LENGTH
      : checkUint('pcap.snapLength', options.snapLength, 31);
  const ns = options.nanosecond ?? true;
  const bytes = Buffer.alloc(PCAP_FILE_HEADER);
  bytes.writeUInt32LE(ns ? PCAP_MAGIC_NS : PCAP_MAGIC_US, 0);
  bytes.writeUInt16LE(2, 4);
  bytes.writeUInt16LE(4, 6);
  bytes.writeUInt32LE(snap, 16);
  bytes.writeUInt32LE(linkType, 20);
  return { bytes, snap, ns };
}

function record(packet: PacketToWrite, index: number, snap: number, ns: boolean): Buffer[] {
  const data = packet instanceof Uint8Array ? packet : packet?.data;
  if (!(data instanceof Uint8Array)) {
    throw new PacketError(`packets[${index}]`, 'bytes', `expected packet bytes, got ${describe(packet)}`);
  }
  const given = packet instanceof Uint8Array ? undefined : packet.timestampNs;
  if (given !== undefined && (typeof given !== 'bigint' || given < 0n)) {
    throw new PacketError(
      `packets[${index}].timestampNs`,
      'timestamp',
      `expected a non-negative bigint, got ${describe(given)}`,
    );
  }
  const ts = given ?? BigInt(Date.now()) * 1_000_000n;
  const captured = Math.min(data.length, snap);
  const head = Buffer.alloc(PCAP_RECORD_HEADER);
  head.writeUInt32LE(Number(ts / 1_000_000_000n) >>> 0, 0);
  head.writeUInt32LE(Number(ns ? ts % 1_000_000_000n : (ts % 1_000_000_000n) / 1000n), 4);
  head.writeUInt32LE(captured, 8);
  head.writeUInt32LE(data.length, 12);
  return [head, Buffer.from(data.buffer, data.byteOffset, captured)];
}

/**
 * Encodes packets as a classic pcap file (little-endian, version 2.4) that Wireshark and tcpdump open.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for a packet that is not bytes, a bad timestamp or option
 */
export function encodePcap(packets: Iterable<PacketToWrite>, options: PcapWriteOptions = {}): Buffer {
  const { bytes, snap, ns } = header(options);
  const parts: Buffer[] = [bytes];
  let i = 0;
  for (const p of packets) parts.push(...record(p, i++, snap, ns));
  return Buffer.concat(parts);
}

const leaked = new FinalizationRegistry<{ fd: number; path: string }>((held) => {
  try {
    closeSync(held.fd);
  } catch {
    // already closed by the OS or by another path
  }
  process.emitWarning(
    `PcapWriter for ${held.path} was garbage-collected without close(); the file was closed`,
  );
});

/**
 * Writes packets to a pcap file as they come. Close it with `close()` or `using`; a writer that is
 * garbage-collected unclosed is closed with a warning.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export class PcapWriter implements Disposable {
  private fd: number | undefined;
  private readonly held: { fd: number; path: string };

  private constructor(
    readonly path: string,
    fd: number,
    private readonly snap: number,
    private readonly ns: boolean,
  ) {
    this.fd = fd;
    this.held = { fd, path };
    leaked.register(this, this.held, this);
  }

  /**
   * Creates (or truncates) a pcap file and writes its header.
   * @throws PacketError for a bad option; Node's SystemError when the file cannot be opened
   */
  static open(path: string, options: PcapWriteOptions = {}): PcapWriter {
    const { bytes, snap, ns } = header(options);
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, bytes);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return new PcapWriter(path, fd, snap, ns);
  }

  /**
   * Appends one packet.
   * @throws PacketError for bad input or a closed writer; Node's SystemError on a write failure
   */
  write(packet: PacketToWrite): void {
    if (this.fd === undefined) throw new PacketError('pcap', 'closed', `writer for ${this.path} is closed`);
    for (const part of record(packet, 0, this.snap, this.ns)) writeSync(this.fd, part);
  }

  /** Closes the file. Idempotent. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    leaked.unregister(this);
    closeSync(fd);
  }

  /** Same as {@link PcapWriter.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
