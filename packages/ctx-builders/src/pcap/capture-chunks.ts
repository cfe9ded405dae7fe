import { open } from 'node:fs/promises';
import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';
import { checkCapturePath } from './capture-path.js';

/** Where a streaming reader gets bytes from: a file path, or a stream (any async iterable of bytes). */
export type CaptureSource = string | URL | AsyncIterable<Uint8Array>;

/**
 * The bytes of a capture, a chunk at a time, each chunk starting with the unread rest of the previous one:
 * a record that straddles two reads is then whole in the next chunk, and only that rest is copied.
 */
export interface CaptureChunks {
  /**
   * The next chunk: `rest` followed by at least `atLeast - rest.length` new bytes when the source has
   * them; undefined at the end of the source. Chunks are fresh memory, never reused, so packets may be
   * views into them.
   */
  next(rest: Uint8Array, atLeast: number): Promise<Uint8Array | undefined>;
  /** Closes a file the chunks come from. Idempotent. */
  close(): Promise<void>;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

/**
 * Opens `source` for chunked reading: a file is read `chunkBytes` at a time (more for a record that needs
 * it); a stream's chunks are taken as they come.
 * @throws PacketError (`source`) for anything but a path or an async iterable; Node's SystemError when the
 *   file cannot be opened
 */
export async function openCaptureChunks(source: CaptureSource, chunkBytes: number): Promise<CaptureChunks> {
  if (typeof source === 'string' || source instanceof URL) {
    const file = await open(checkCapturePath(source), 'r');
    let done = false;
    return {
      async next(rest, atLeast) {
        if (done) return undefined;
        const chunk = Buffer.allocUnsafe(Math.max(chunkBytes, atLeast));
        chunk.set(rest, 0);
        let filled = rest.length;
        while (filled < chunk.length) {
          const { bytesRead } = await file.read(chunk, filled, chunk.length - filled, null);
          if (bytesRead === 0) {
            done = true;
            break;
          }
          filled += bytesRead;
        }
        return filled === rest.length ? undefined : chunk.subarray(0, filled);
      },
      close: () => file.close().catch(() => undefined),
    };
  }
  if (!isAsyncIterable(source)) {
    throw new PacketError(
      'source',
      'capture-source',
      `expected a capture file's path or a stream of bytes (an async iterable), got ${describe(source)}`,
    );
  }
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  return {
    async next(rest, atLeast) {
      let chunk = rest;
      let fresh = false;
      while (!done && (!fresh || chunk.length < atLeast)) {
        const step = await iterator.next();
        if (step.done) {
          done = true;
          break;
        }
        const bytes: unknown = step.value;
        if (!(bytes instanceof Uint8Array)) {
          throw new PacketError(
            'source',
            'capture-source',
            `a capture stream must yield bytes, got ${describe(bytes)} (a stream with an encoding set yields strings)`,
          );
        }
        chunk = chunk.length === 0 ? bytes : Buffer.concat([chunk, bytes]);
        fresh = true;
      }
      return fresh ? chunk : undefined;
    },
    async close() {
      if (done) return;
      done = true;
      await iterator.return?.();
    },
  };
}
