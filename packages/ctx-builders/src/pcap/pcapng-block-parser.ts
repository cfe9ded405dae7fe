import { PacketError } from '../errors/packet-error.js';
import type { CapturedPacket } from './link-type.js';
import { MAX_RECORD_BYTES } from './pcap-format.js';
import {
  BYTE_ORDER_MAGIC,
  EPB,
  IDB,
  IF_DESCRIPTION,
  IF_NAME,
  IF_TSRESOL,
  OPB,
  OPT_COMMENT,
  OPT_ENDOFOPT,
  SHB,
  SPB,
} from './pcapng-format.js';

/** One interface of a pcapng file (Interface Description Block). */
export interface PcapngInterface {
  readonly linkType: number;
  readonly snapLength: number;
  /** Timestamp units per second (`if_tsresol`; default 1e6). */
  readonly unitsPerSecond: bigint;
  /** `if_name`, when the block has one. */
  readonly name?: string;
  /** `if_description`, when the block has one. */
  readonly description?: string;
}

/** A packet of a pcapng file: the interface it came from and its comments. */
export interface PcapngPacket extends CapturedPacket {
  /** Index into the interfaces of the file (every section counted). */
  readonly interfaceId: number;
  /** The packet's `opt_comment` options, in order; absent when it has none. */
  readonly comments?: readonly string[];
}

// The timestamp is computed when asked for: bigint arithmetic for every packet of a long capture costs more
// than the rest of reading it.
class PcapngRecord implements PcapngPacket {
  comments?: readonly string[];

  constructor(
    readonly data: Uint8Array,
    readonly originalLength: number,
    readonly linkType: number,
    readonly interfaceId: number,
    private readonly high: number,
    private readonly low: number,
    private readonly unitsPerSecond: bigint,
  ) {}

  get timestampNs(): bigint {
    const units = (BigInt(this.high) << 32n) | BigInt(this.low);
    return (units * 1_000_000_000n) / this.unitsPerSecond;
  }
}

const utf8 = new TextDecoder();

function forEachOption(
  view: DataView,
  start: number,
  end: number,
  little: boolean,
  each: (code: number, value: Uint8Array) => void,
): void {
  let p = start;
  while (p + 4 <= end) {
    const code = view.getUint16(p, little);
    const len = view.getUint16(p + 2, little);
    if (code === OPT_ENDOFOPT || p + 4 + len > end) return;
    each(code, new Uint8Array(view.buffer, view.byteOffset + p + 4, len));
    p += 4 + ((len + 3) & ~3);
  }
}

function unitsPerSecond(resolution: Uint8Array | undefined): bigint {
  if (!resolution || resolution.length < 1) return 1_000_000n;
  const v = resolution[0]!;
  return v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
}

/**
 * Reads a pcapng file one block at a time, from whichever buffer holds the block: the whole file, or a
 * streaming reader's current chunk. It keeps what the blocks before said: the sections' byte order and
 * the interfaces.
 */
export class PcapngBlockParser {
  /** Interfaces of every section so far, in file order. */
  readonly interfaces: PcapngInterface[] = [];
  /** Where the last block read ends. */
  end = 0;
  /** Size of the block that did not fit, when its header was complete; else undefined. */
  needed: number | undefined;
  /** Blocks read so far. */
  count = 0;
  private sectionBase = -1;
  private little = true;

  /**
   * Reads the block at `offset` of `bytes` (valid up to `limit`). Returns its packet, or null for a block
   * without one, and sets {@link end}; returns undefined when the block does not end before `limit` (and
   * sets {@link needed}). `copy` copies packet data out of `bytes` instead of returning a view into it.
   * @throws PacketError (`field` `pcapng.blocks[N]`) for a missing section header, a bad block length, or
   * a packet naming an unknown interface
   */
  read(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    limit: number,
    copy: boolean,
  ): PcapngPacket | null | undefined {
    if (offset + 12 > limit) {
      this.needed = undefined;
      return undefined;
    }
    const field = `pcapng.blocks[${this.count}]`;
    const typeLE = view.getUint32(offset, true);
    let little = this.little;
    if (typeLE === SHB) {
      if (view.getUint32(offset + 8, true) === BYTE_ORDER_MAGIC) little = true;
      else if (view.getUint32(offset + 8, false) === BYTE_ORDER_MAGIC) little = false;
      else throw new PacketError(field, 'pcapng-byte-order', 'section header without a byte-order magic');
    } else if (this.sectionBase < 0) {
      throw new PacketError(field, 'pcapng-magic', 'not a pcapng file (no section header block first)');
    }
    const type = view.getUint32(offset, little);
    const len = view.getUint32(offset + 4, little);
    if (len < 12 || len % 4 !== 0 || len > MAX_RECORD_BYTES) {
      throw new PacketError(field, 'pcapng-block-length', `block length ${len} is invalid`);
    }
    if (offset + len > limit) {
      this.needed = len;
      return undefined;
    }
    if (view.getUint32(offset + len - 4, little) !== len) {
      throw new PacketError(
        field,
        'pcapng-block-length',
        `block length ${len} does not match the length at the block's end`,
      );
    }
    if (type === SHB) {
      this.little = little;
      this.sectionBase = this.interfaces.length;
    }
    const body = offset + 8;
    const end = offset + len - 4;
    let packet: PcapngPacket | null = null;
    if (type === IDB && end - body >= 8) {
      this.interfaces.push(this.interfaceOf(view, body, end));
    } else if ((type === EPB || type === OPB) && end - body >= 20) {
      // The obsolete packet block has a 16-bit interface id (then a drop count) where EPB has 32 bits.
      const ifaceRel = type === EPB ? view.getUint32(body, little) : view.getUint16(body, little);
      const captured = view.getUint32(body + 12, little);
      const data = body + 20;
      packet = this.packet(
        field,
        bytes,
        ifaceRel,
        view.getUint32(body + 4, little),
        view.getUint32(body + 8, little),
        captured,
        view.getUint32(body + 16, little),
        data,
        end,
        copy,
      );
      const options = data + ((captured + 3) & ~3);
      if (options + 4 <= end) {
        const comments: string[] = [];
        forEachOption(view, options, end, little, (code, value) => {
          if (code === OPT_COMMENT) comments.push(utf8.decode(value));
        });
        if (comments.length > 0) (packet as PcapngRecord).comments = comments;
      }
    } else if (type === SPB && end - body >= 4) {
      const original = view.getUint32(body, little);
      const snap = this.interfaces[this.sectionBase]?.snapLength || original;
      const captured = Math.min(original, snap, end - body - 4);
      packet = this.packet(field, bytes, 0, 0, 0, captured, original, body + 4, end, copy);
    }
    this.end = offset + len;
    this.count++;
    return packet;
  }

  private interfaceOf(view: DataView, body: number, end: number): PcapngInterface {
    const little = this.little;
    let resolution: Uint8Array | undefined;
    let name: string | undefined;
    let description: string | undefined;
    forEachOption(view, body + 8, end, little, (code, value) => {
      if (code === IF_TSRESOL) resolution = value;
      else if (code === IF_NAME) name = utf8.decode(value);
      else if (code === IF_DESCRIPTION) description = utf8.decode(value);
    });
    return {
      linkType: view.getUint16(body, little),
      snapLength: view.getUint32(body + 4, little),
      unitsPerSecond: unitsPerSecond(resolution),
      ...(name === undefined ? {} : { name }),
      ...(description === undefined ? {} : { description }),
    };
  }

  private packet(
    field: string,
    bytes: Uint8Array,
    ifaceRel: number,
    high: number,
    low: number,
    captured: number,
    original: number,
    data: number,
    end: number,
    copy: boolean,
  ): PcapngRecord {
    const interfaceId = this.sectionBase + ifaceRel;
    const iface = this.interfaces[interfaceId];
    if (!iface || ifaceRel < 0)
      throw new PacketError(field, 'pcapng-interface', `unknown interface ${ifaceRel}`);
    if (data + captured > end) throw new PacketError(field, 'truncated', 'packet data runs past the block');
    return new PcapngRecord(
      copy
        ? bytes.slice(data, data + captured)
        : new Uint8Array(bytes.buffer, bytes.byteOffset + data, captured),
      original > captured ? original : captured,
      iface.linkType,
      interfaceId,
      high,
      low,
      iface.unitsPerSecond,
    );
  }
}
