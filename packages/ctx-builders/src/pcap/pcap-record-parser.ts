import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import type { CapturedPacket } from './link-type.js';
import {
  MAX_RECORD_BYTES,
  PCAP_FILE_HEADER,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
  PCAP_RECORD_HEADER,
} from './pcap-format.js';

// One packet of a classic pcap file. The timestamp is computed when asked for: bigint arithmetic for every
// packet of a long capture costs more than the rest of reading it.
class PcapPacket implements CapturedPacket {
  constructor(
    readonly data: Uint8Array,
    readonly originalLength: number,
    readonly linkType: number,
    private readonly seconds: number,
    private readonly fraction: number,
    private readonly nanosecond: boolean,
  ) {}

  get timestampNs(): bigint {
    const fraction = BigInt(this.fraction);
    return BigInt(this.seconds) * 1_000_000_000n + (this.nanosecond ? fraction : fraction * 1000n);
  }
}

/**
 * Reads a classic pcap file one record at a time, from whichever buffer holds the record: the whole file,
 * or a streaming reader's current chunk. Built from the file header.
 */
export class PcapRecordParser {
  /** Where the last record read ends. */
  end = 0;
  /** Size of the record that did not fit, when its header was complete; else undefined. */
  needed: number | undefined;
  /** Records read so far. */
  count = 0;

  private constructor(
    readonly linkType: number,
    readonly snapLength: number,
    readonly nanosecond: boolean,
    private readonly little: boolean,
  ) {}

  /**
   * Reads the 24-byte file header.
   * @throws PacketError (`pcap.header` truncated, `pcap.magic`) for a short header or a bad magic number
   */
  static fromHeader(bytes: Uint8Array): PcapRecordParser {
    if (!(bytes instanceof Uint8Array))
      throw new PacketError('pcap', 'bytes', `expected bytes, got ${describe(bytes)}`);
    if (bytes.length < PCAP_FILE_HEADER) {
      throw new PacketError(
        'pcap.header',
        'truncated',
        `${bytes.length} bytes is shorter than the 24-byte pcap header`,
      );
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let little = true;
    let magic = view.getUint32(0, true);
    if (magic !== PCAP_MAGIC_US && magic !== PCAP_MAGIC_NS) {
      little = false;
      magic = view.getUint32(0, false);
    }
    if (magic !== PCAP_MAGIC_US && magic !== PCAP_MAGIC_NS) {
      throw new PacketError(
        'pcap.magic',
        'pcap-magic',
        `0x${view.getUint32(0, false).toString(16)} is not a pcap magic number`,
      );
    }
    return new PcapRecordParser(
      view.getUint32(20, little) & 0x0fffffff,
      view.getUint32(16, little),
      magic === PCAP_MAGIC_NS,
      little,
    );
  }

  /**
   * Reads the record at `offset` of `bytes` (valid up to `limit`). Returns the packet and sets
   * {@link end}, or returns undefined when the record does not end before `limit` (and sets
   * {@link needed}). `copy` copies the data out of `bytes` instead of returning a view into it.
   * @throws PacketError (`record-size`) for a record longer than any capture holds
   */
  read(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    limit: number,
    copy: boolean,
  ): CapturedPacket | undefined {
    if (offset + PCAP_RECORD_HEADER > limit) {
      this.needed = undefined;
      return undefined;
    }
    const little = this.little;
    const captured = view.getUint32(offset + 8, little);
    if (captured > MAX_RECORD_BYTES) {
      throw new PacketError(
        `pcap.records[${this.count}]`,
        'record-size',
        `record of ${captured} bytes is longer than the ${MAX_RECORD_BYTES} a capture record may hold`,
      );
    }
    const start = offset + PCAP_RECORD_HEADER;
    const end = start + captured;
    if (end > limit) {
      this.needed = PCAP_RECORD_HEADER + captured;
      return undefined;
    }
    const original = view.getUint32(offset + 12, little);
    this.end = end;
    this.count++;
    return new PcapPacket(
      copy ? bytes.slice(start, end) : new Uint8Array(bytes.buffer, bytes.byteOffset + start, captured),
      original > captured ? original : captured,
      this.linkType,
      view.getUint32(offset, little),
      view.getUint32(offset + 4, little),
      this.nanosecond,
    );
  }
}
