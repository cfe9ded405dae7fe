import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { PacketError } from '../errors/packet-error.js';
import { checkSignal, describe, optionsObject } from '../packet/field-checks.js';
import type { CaptureEncoder } from './capture-encoder.js';
import { checkCapturePath } from './capture-path.js';
import { CaptureSink } from './capture-sink.js';
import { checkPackets, type PacketToWrite } from './packet-to-write.js';
import { type PcapWriteOptions, pcapEncoder } from './pcap-writer.js';
import { type PcapngPacketToWrite, type PcapngWriteOptions, pcapngEncoder } from './pcapng-writer.js';

/** Where a streaming writer puts the capture: a file path, or a Node `Writable` (left open at the end). */
export type CaptureDestination = string | URL | NodeJS.WritableStream;

/** Options every streaming writer takes. */
export interface StreamWriteOptions {
  /** Stops the writing: the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

function isWritable(value: unknown): value is NodeJS.WritableStream {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as NodeJS.WritableStream).write === 'function' &&
    typeof (value as NodeJS.WritableStream).on === 'function'
  );
}

async function writeCaptureStream<Packet>(
  encoder: CaptureEncoder<Packet>,
  packets: AsyncIterable<Packet> | Iterable<Packet>,
  destination: CaptureDestination,
  signal: AbortSignal | undefined,
): Promise<number> {
  checkSignal('signal', signal)?.throwIfAborted();
  checkPackets(packets, true);
  const own = typeof destination === 'string' || destination instanceof URL;
  if (!own && !isWritable(destination)) {
    throw new PacketError(
      'destination',
      'capture-destination',
      `expected a file path or a writable stream, got ${describe(destination)}`,
    );
  }
  const stream: NodeJS.WritableStream = own ? createWriteStream(checkCapturePath(destination)) : destination;
  // A stream's error is raised at the next await below; until then it must not go unhandled.
  let failure: unknown;
  const onError = (error: unknown) => {
    failure ??= error;
  };
  stream.on('error', onError);
  let blocked = false;
  const sink = new CaptureSink(64 * 1024, (bytes) => {
    if (!stream.write(bytes)) blocked = true;
  });
  let count = 0;
  try {
    encoder.header(sink);
    for await (const packet of packets) {
      if (failure !== undefined) throw failure;
      signal?.throwIfAborted();
      encoder.record(sink, packet, count++);
      if (blocked) {
        blocked = false;
        await once(stream, 'drain', signal ? { signal } : {});
      }
    }
    sink.flush();
    if (own) {
      stream.end();
      await finished(stream);
    } else if (blocked) {
      await once(stream, 'drain', signal ? { signal } : {});
    }
    if (failure !== undefined) throw failure;
    return count;
  } catch (error) {
    if (own) {
      // Wait for the file to be closed (or its opening to fail) before the caller goes on.
      (stream as WriteStream).destroy();
      await finished(stream).catch(() => undefined);
    }
    throw error;
  } finally {
    stream.off('error', onError);
  }
}

/**
 * Writes packets to a pcap file or stream as they come from an iterable or async iterable, waiting for the
 * stream to drain: memory stays bounded whatever the number of packets. A path is created (or truncated)
 * and closed at the end; a stream given is left open. Resolves to the number of packets written.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for a bad destination, option or packet; the stream's error; the signal's reason
 */
export function writePcapStream(
  packets: AsyncIterable<PacketToWrite> | Iterable<PacketToWrite>,
  destination: CaptureDestination,
  options: PcapWriteOptions & StreamWriteOptions = {},
): Promise<number> {
  const checked = optionsObject<PcapWriteOptions & StreamWriteOptions>('options', options);
  return writeCaptureStream(pcapEncoder(checked), packets, destination, checked.signal);
}

/**
 * Writes packets to a pcapng file or stream as they come (see {@link writePcapStream}), with several
 * interfaces and per-packet comments as {@link encodePcapng} writes them.
 *
 * Minimum kernel: none (pure TypeScript).
 *
 * @throws PacketError for a bad destination, option or packet; the stream's error; the signal's reason
 */
export function writePcapngStream(
  packets: AsyncIterable<PcapngPacketToWrite> | Iterable<PcapngPacketToWrite>,
  destination: CaptureDestination,
  options: PcapngWriteOptions & StreamWriteOptions = {},
): Promise<number> {
  const checked = optionsObject<PcapngWriteOptions & StreamWriteOptions>('options', options);
  return writeCaptureStream(pcapngEncoder(checked), packets, destination, checked.signal);
}
