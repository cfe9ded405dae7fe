import { CaptureTruncatedError } from '../errors/capture-truncated-error.js';
import { PacketError } from '../errors/packet-error.js';
import { checkSignal, checkUint, optionsObject } from '../packet/field-checks.js';
import { type CaptureSource, openCaptureChunks } from './capture-chunks.js';
import { captureFormatOf } from './capture-format.js';
import type { CapturedPacket } from './link-type.js';
import { PCAP_FILE_HEADER } from './pcap-format.js';
import { PcapRecordParser } from './pcap-record-parser.js';
import { PcapngBlockParser, type PcapngPacket } from './pcapng-block-parser.js';

/** Options of the streaming capture readers. */
export interface StreamCaptureOptions {
  /** Bytes read from a file at a time; a batch holds the packets of one read. Default 1 MiB. */
  readonly chunkBytes?: number;
  /** Stops the reading: the iteration then throws the signal's reason. */
  readonly signal?: AbortSignal;
}

const EMPTY = new Uint8Array(0);

/**
 * Reads a pcap or pcapng capture as it comes, from a file path or a stream (a Node `Readable`, or any async
 * iterable of bytes), in batches: the packets of each chunk read. Memory stays bounded whatever the
 * capture's size: a chunk, plus the one record that straddles two chunks (a record is at most 16 MiB).
 * Packet data are views into the chunk they were read in, which is never reused; pcapng packets carry
 * their `interfaceId` and `comments`.
 *
 * A capture whose last record is cut short yields every complete packet and then throws
 * CaptureTruncatedError, as tshark shows the complete packets of such a file before its warning. Ending
 * the iteration early (`break`) closes the file or returns the stream.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for a source that is neither a path nor a stream, an unknown format or a malformed
 *   record; CaptureTruncatedError after the complete packets; the signal's reason when aborted; Node's
 *   SystemError when the file cannot be read
 */
export async function* streamCaptureBatches(
  source: CaptureSource,
  options: StreamCaptureOptions = {},
): AsyncGenerator<readonly (CapturedPacket | PcapngPacket)[], void, undefined> {
  const { chunkBytes: requested, signal } = optionsObject<StreamCaptureOptions>('options', options);
  const chunkBytes = requested === undefined ? 1 << 20 : checkUint('chunkBytes', requested, 31) || 1;
  checkSignal('signal', signal)?.throwIfAborted();
  const chunks = await openCaptureChunks(source, chunkBytes);
  try {
    let chunk = (await chunks.next(EMPTY, PCAP_FILE_HEADER)) ?? EMPTY;
    if (chunk.length < 4) {
      throw new PacketError(
        'capture',
        'capture-format',
        `expected a pcap or pcapng file, got ${chunk.length} bytes`,
      );
    }
    const format = captureFormatOf(chunk);
    const pcap = format === 'pcap' ? PcapRecordParser.fromHeader(chunk) : undefined;
    const pcapng = format === 'pcapng' ? new PcapngBlockParser() : undefined;
    let p = pcap ? PCAP_FILE_HEADER : 0;
    let yielded = 0;
    // File offset of the chunk's first byte, for the truncation report.
    let base = 0;
    for (;;) {
      signal?.throwIfAborted();
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const batch: (CapturedPacket | PcapngPacket)[] = [];
      const limit = chunk.length;
      if (pcap) {
        for (
          let packet = pcap.read(chunk, view, p, limit, false);
          packet;
          packet = pcap.read(chunk, view, p, limit, false)
        ) {
          batch.push(packet);
          p = pcap.end;
        }
      } else {
        for (
          let packet = pcapng!.read(chunk, view, p, limit, false);
          packet !== undefined;
          packet = pcapng!.read(chunk, view, p, limit, false)
        ) {
          if (packet !== null) batch.push(packet);
          p = pcapng!.end;
        }
      }
      if (batch.length > 0) {
        yielded += batch.length;
        yield batch;
      }
      const rest = chunk.subarray(p);
      const needed = (pcap ?? pcapng)!.needed;
      const next = await chunks.next(rest, needed ?? rest.length + 16);
      if (next === undefined) {
        if (rest.length === 0) return;
        const parser = (pcap ?? pcapng)!;
        throw new CaptureTruncatedError(
          pcap ? `pcap.records[${parser.count}]` : `pcapng.blocks[${parser.count}]`,
          {
            packetCount: yielded,
            offset: base + p,
            presentBytes: rest.length,
            recordBytes: needed,
          },
        );
      }
      chunk = next;
      base += p;
      p = 0;
    }
  } finally {
    await chunks.close();
  }
}

/**
 * Reads a pcap or pcapng capture packet by packet, from a file path or a stream: {@link streamCaptureBatches}
 * one packet at a time, with the same bounded memory and the same end for a capture cut short (every
 * complete packet, then CaptureTruncatedError).
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws As {@link streamCaptureBatches}.
 */
export async function* streamCapture(
  source: CaptureSource,
  options: StreamCaptureOptions = {},
): AsyncGenerator<CapturedPacket | PcapngPacket, void, undefined> {
  for await (const batch of streamCaptureBatches(source, options)) yield* batch;
}
