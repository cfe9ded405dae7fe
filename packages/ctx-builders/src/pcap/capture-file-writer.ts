import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PacketError } from '../errors/packet-error.js';
import type { CaptureEncoder } from './capture-encoder.js';
import { checkCapturePath } from './capture-path.js';
import { CaptureSink } from './capture-sink.js';

/** Bytes a file writer gathers before it writes them: one write() syscall per this many. */
const CHUNK_BYTES = 256 * 1024;

const leaked = new FinalizationRegistry<{ fd: number; path: string }>((held) => {
  try {
    closeSync(held.fd);
  } catch {
    // already closed by the OS or by another path
  }
  process.emitWarning(
    `capture writer for ${held.path} was garbage-collected without close(); the file was closed and ` +
      'the packets not yet flushed were lost',
  );
});

function writeAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * A capture file written as packets come, in chunks of 256 KiB: {@link PcapWriter} and
 * {@link PcapngWriter} are this with their format's encoder.
 */
export class CaptureFileWriter<Packet> implements Disposable {
  private fd: number | undefined;
  private count = 0;
  private readonly sink: CaptureSink;

  protected constructor(
    readonly path: string,
    private readonly encoder: CaptureEncoder<Packet>,
  ) {
    const fd = openSync(path, 'w');
    this.fd = fd;
    this.sink = new CaptureSink(CHUNK_BYTES, (bytes) => writeAll(fd, bytes));
    try {
      encoder.header(this.sink);
      this.sink.flush();
    } catch (error) {
      this.fd = undefined;
      closeSync(fd);
      throw error;
    }
    leaked.register(this, { fd, path }, this);
  }

  /** Checks the path argument of a writer's `open`. */
  protected static pathOf(path: unknown): string {
    const checked = checkCapturePath(path);
    return typeof checked === 'string' ? checked : fileURLToPath(checked);
  }

  /**
   * Appends one packet (written to the file with the next chunk, at {@link flush} or {@link close}).
   * @throws PacketError for bad input or a closed writer; Node's SystemError on a write failure
   */
  write(packet: Packet): void {
    if (this.fd === undefined)
      throw new PacketError('capture', 'closed', `writer for ${this.path} is closed`);
    this.encoder.record(this.sink, packet, this.count);
    this.count++;
  }

  /**
   * Writes the packets gathered so far to the file.
   * @throws PacketError for a closed writer; Node's SystemError on a write failure
   */
  flush(): void {
    if (this.fd === undefined)
      throw new PacketError('capture', 'closed', `writer for ${this.path} is closed`);
    this.sink.flush();
  }

  /**
   * Writes what is gathered and closes the file. Idempotent; the file is closed even when the last write
   * fails.
   * @throws Node's SystemError when the last write fails
   */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    leaked.unregister(this);
    try {
      this.sink.flush();
    } finally {
      closeSync(fd);
    }
  }

  /** Same as {@link CaptureFileWriter.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
