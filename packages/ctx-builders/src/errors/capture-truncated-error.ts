import { ProgrunError } from '@progrun/uapi';
import type { CapturedPacket } from '../pcap/link-type.js';
import { PacketError } from './packet-error.js';

const MARKER = 'progrun.CaptureTruncatedError';
const symbol = Symbol.for(MARKER);

/**
 * A capture file ends in the middle of a record: the file was cut short (a capture still being written,
 * an interrupted copy). Every complete packet before the cut has been read: the streaming readers yield
 * them and then throw this error; the whole-file decoders throw it with the packets in {@link packets}.
 * `field` names the record (`pcap.records[N]`, `pcapng.blocks[N]`) and `rule` is `truncated`.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export class CaptureTruncatedError extends PacketError {
  /** How many complete packets came before the cut. */
  readonly packetCount: number;
  /** Offset in the file of the record that is cut short. */
  readonly offset: number;
  /** Bytes of that record present in the file. */
  readonly presentBytes: number;
  /** Bytes the record needs, when its header was complete enough to say; else undefined. */
  readonly recordBytes: number | undefined;
  /** The complete packets, from the whole-file decoders; empty from the streaming readers (they yielded them). */
  readonly packets: readonly CapturedPacket[];

  /**
   * @param field the record that is cut short
   * @param details where and how much is missing
   */
  constructor(
    field: string,
    details: {
      packetCount: number;
      offset: number;
      presentBytes: number;
      recordBytes: number | undefined;
      packets?: readonly CapturedPacket[];
    },
  ) {
    const needs =
      details.recordBytes === undefined ? 'its header is cut short' : `it needs ${details.recordBytes}`;
    super(
      field,
      'truncated',
      `the capture ends inside a record at offset ${details.offset}: ${details.presentBytes} bytes present, ` +
        `${needs}; the ${details.packetCount} complete packets before it were read`,
    );
    this.name = 'CaptureTruncatedError';
    this.packetCount = details.packetCount;
    this.offset = details.offset;
    this.presentBytes = details.presentBytes;
    this.recordBytes = details.recordBytes;
    this.packets = details.packets ?? [];
  }

  get [symbol](): true {
    return true;
  }

  /** True for any `CaptureTruncatedError`, even one created by another copy of this package. */
  static override isInstance(error: unknown): error is CaptureTruncatedError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
