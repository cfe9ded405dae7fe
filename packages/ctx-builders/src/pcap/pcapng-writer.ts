import { PacketError } from '../errors/packet-error.js';
import { checkUint, describe, optionsObject } from '../packet/field-checks.js';
import type { CaptureEncoder } from './capture-encoder.js';
import { CaptureFileWriter } from './capture-file-writer.js';
import type { CaptureSink } from './capture-sink.js';
import { encodeCapture } from './encode-capture.js';
import { LinkType } from './link-type.js';
import { type PacketToWrite, packetData, packetTimestamp } from './packet-to-write.js';
import {
  BYTE_ORDER_MAGIC,
  EPB,
  IDB,
  IF_DESCRIPTION,
  IF_NAME,
  IF_TSRESOL,
  OPT_COMMENT,
  SHB,
  SHB_USERAPPL,
} from './pcapng-format.js';

/** One interface of a pcapng file to write (an Interface Description Block). */
export interface PcapngInterfaceOptions {
  /** Link type of the interface's packets. Default {@link LinkType.ETHERNET}. */
  readonly linkType?: number;
  /** Snap length; longer packets are cut to it. Default 0: no limit. */
  readonly snapLength?: number;
  /** `if_name`, e.g. `eth0`. */
  readonly name?: string;
  /** `if_description`. */
  readonly description?: string;
}

/** Options of a pcapng file. */
export interface PcapngWriteOptions {
  /** The interfaces packets name by index (`interfaceId`). Default one Ethernet interface. */
  readonly interfaces?: readonly PcapngInterfaceOptions[];
  /** The application that wrote the file (`shb_userappl`). */
  readonly application?: string;
  /** A comment on the whole section. */
  readonly comment?: string;
}

/**
 * A packet to write to a pcapng file: bytes, or bytes with a timestamp (ns since the epoch; default now),
 * the interface it belongs to (default 0), its comments (one `opt_comment` each, shown by Wireshark as
 * packet comments) and its length on the wire (default the data's). A packet read by the pcapng readers
 * is one as it is.
 */
export type PcapngPacketToWrite =
  | Uint8Array
  | {
      readonly data: Uint8Array;
      readonly timestampNs?: bigint;
      readonly interfaceId?: number;
      readonly comments?: readonly string[];
      readonly originalLength?: number;
    };

const utf8 = new TextEncoder();
const pad4 = (n: number) => (n + 3) & ~3;

/** Length in a block of the options `values` (each code+length+padded value) with their end marker. */
function optionsLength(values: readonly Uint8Array[]): number {
  if (values.length === 0) return 0;
  let length = 4;
  for (const value of values) length += 4 + pad4(value.length);
  return length;
}

function writeOption(b: Buffer, o: number, code: number, value: Uint8Array): number {
  b.writeUInt16LE(code, o);
  b.writeUInt16LE(value.length, o + 2);
  b.set(value, o + 4);
  const end = o + 4 + pad4(value.length);
  b.fill(0, o + 4 + value.length, end);
  return end;
}

function optionText(field: string, value: unknown): Uint8Array {
  if (typeof value !== 'string')
    throw new PacketError(field, 'string', `expected a string, got ${describe(value)}`);
  const bytes = utf8.encode(value);
  if (bytes.length > 0xffff) {
    throw new PacketError(field, 'option-length', `${bytes.length} bytes of UTF-8 exceed an option's 65535`);
  }
  return bytes;
}

// A block with the given body length and options (code, value): header, body written by `body`, options
// and their end marker, trailing length.
function writeBlock(
  sink: CaptureSink,
  type: number,
  bodyLength: number,
  options: readonly (readonly [number, Uint8Array])[],
  body: (b: Buffer, o: number) => void,
): void {
  const length = 12 + pad4(bodyLength) + optionsLength(options.map(([, value]) => value));
  sink.reserve(length);
  const b = sink.buffer;
  const start = sink.offset;
  b.writeUInt32LE(type, start);
  b.writeUInt32LE(length, start + 4);
  body(b, start + 8);
  let o = start + 8 + bodyLength;
  b.fill(0, o, start + 8 + pad4(bodyLength));
  o = start + 8 + pad4(bodyLength);
  if (options.length > 0) {
    for (const [code, value] of options) o = writeOption(b, o, code, value);
    b.writeUInt32LE(0, o);
    o += 4;
  }
  b.writeUInt32LE(length, o);
  sink.offset = start + length;
}

/**
 * The pcapng encoder: a section header, an interface description per interface (nanosecond timestamps,
 * `if_tsresol` 9), then an enhanced packet block per packet, little-endian.
 * @throws PacketError for a bad option
 */
export function pcapngEncoder(options: PcapngWriteOptions): CaptureEncoder<PcapngPacketToWrite> {
  options = optionsObject<PcapngWriteOptions>('options', options);
  const interfaces = (options.interfaces ?? [{}]).map((iface, i) => {
    const field = `pcapng.interfaces[${i}]`;
    if (typeof iface !== 'object' || iface === null)
      throw new PacketError(
        field,
        'options-object',
        `expected an interface's options, got ${describe(iface)}`,
      );
    const linkType =
      iface.linkType === undefined ? LinkType.ETHERNET : checkUint(`${field}.linkType`, iface.linkType, 16);
    const snapLength =
      iface.snapLength === undefined ? 0 : checkUint(`${field}.snapLength`, iface.snapLength, 32);
    const blockOptions: (readonly [number, Uint8Array])[] = [];
    if (iface.name !== undefined) blockOptions.push([IF_NAME, optionText(`${field}.name`, iface.name)]);
    if (iface.description !== undefined) {
      blockOptions.push([IF_DESCRIPTION, optionText(`${field}.description`, iface.description)]);
    }
    blockOptions.push([IF_TSRESOL, Uint8Array.of(9)]);
    return { linkType, snapLength, blockOptions };
  });
  if (interfaces.length === 0) {
    throw new PacketError('pcapng.interfaces', 'non-empty', 'a pcapng file needs at least one interface');
  }
  const sectionOptions: (readonly [number, Uint8Array])[] = [];
  if (options.comment !== undefined)
    sectionOptions.push([OPT_COMMENT, optionText('pcapng.comment', options.comment)]);
  if (options.application !== undefined) {
    sectionOptions.push([SHB_USERAPPL, optionText('pcapng.application', options.application)]);
  }
  return {
    header(sink) {
      writeBlock(sink, SHB, 16, sectionOptions, (b, o) => {
        b.writeUInt32LE(BYTE_ORDER_MAGIC, o);
        b.writeUInt16LE(1, o + 4);
        b.writeUInt16LE(0, o + 6);
        b.writeBigInt64LE(-1n, o + 8); // section length not given
      });
      for (const iface of interfaces) {
        writeBlock(sink, IDB, 8, iface.blockOptions, (b, o) => {
          b.writeUInt16LE(iface.linkType, o);
          b.writeUInt16LE(0, o + 2);
          b.writeUInt32LE(iface.snapLength, o + 4);
        });
      }
    },
    record(sink, packet, index) {
      const data = packetData(packet as PacketToWrite, index);
      const ts = packetTimestamp(packet as PacketToWrite, index);
      const given = packet instanceof Uint8Array ? undefined : packet;
      const interfaceId =
        given?.interfaceId === undefined
          ? 0
          : checkUint(`packets[${index}].interfaceId`, given.interfaceId, 32);
      const iface = interfaces[interfaceId];
      if (iface === undefined) {
        throw new PacketError(
          `packets[${index}].interfaceId`,
          'pcapng-interface',
          `interface ${interfaceId} is not one of the file's ${interfaces.length}`,
        );
      }
      const comments = given?.comments;
      if (comments !== undefined && !Array.isArray(comments)) {
        throw new PacketError(
          `packets[${index}].comments`,
          'string-list',
          `expected a list of strings, got ${describe(comments)}`,
        );
      }
      const blockOptions = (comments ?? []).map(
        (text, i) => [OPT_COMMENT, optionText(`packets[${index}].comments[${i}]`, text)] as const,
      );
      const captured = iface.snapLength === 0 ? data.length : Math.min(data.length, iface.snapLength);
      const original =
        given?.originalLength === undefined
          ? data.length
          : Math.max(checkUint(`packets[${index}].originalLength`, given.originalLength, 32), captured);
      writeBlock(sink, EPB, 20 + captured, blockOptions, (b, o) => {
        b.writeUInt32LE(interfaceId, o);
        b.writeUInt32LE(Number(ts >> 32n) >>> 0, o + 4);
        b.writeUInt32LE(Number(ts & 0xffffffffn), o + 8);
        b.writeUInt32LE(captured, o + 12);
        b.writeUInt32LE(original, o + 16);
        b.set(captured === data.length ? data : data.subarray(0, captured), o + 20);
      });
    },
  };
}

/**
 * Encodes packets as a pcapng file that Wireshark and tshark open: several interfaces, nanosecond
 * timestamps, packet comments.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for a packet that is not bytes, a bad timestamp, interface, comment or option
 */
export function encodePcapng(
  packets: Iterable<PcapngPacketToWrite>,
  options: PcapngWriteOptions = {},
): Buffer {
  return encodeCapture(pcapngEncoder(options), packets);
}

/**
 * Writes packets to a pcapng file as they come, 256 KiB at a time. Close it with `close()` or `using`;
 * a writer that is garbage-collected unclosed is closed with a warning.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export class PcapngWriter extends CaptureFileWriter<PcapngPacketToWrite> {
  /**
   * Creates (or truncates) a pcapng file and writes its section header and interfaces.
   * @throws PacketError for a path that is not a string or URL, or a bad option; Node's SystemError when
   *   the file cannot be opened
   */
  static open(path: string | URL, options: PcapngWriteOptions = {}): PcapngWriter {
    const encoder = pcapngEncoder(options);
    return new PcapngWriter(CaptureFileWriter.pathOf(path), encoder);
  }
}
