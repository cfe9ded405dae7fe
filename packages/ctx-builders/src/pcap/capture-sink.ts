/**
 * The output buffer the capture encoders write records into: a chunk that is handed to `flush` when the
 * next record does not fit, then replaced by a fresh one (the flushed chunk may still be in use, as by a
 * stream's pending write). A record larger than a chunk gets a chunk of its own size.
 */
export class CaptureSink {
  buffer: Buffer;
  offset = 0;

  constructor(
    private readonly chunkBytes: number,
    private readonly flushChunk: (bytes: Buffer) => void,
  ) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** Makes room for `length` bytes at {@link offset}, flushing what the chunk holds if they do not fit. */
  reserve(length: number): void {
    if (this.offset + length <= this.buffer.length) return;
    this.flush();
    if (length > this.buffer.length) this.buffer = Buffer.allocUnsafe(length);
  }

  /** Hands what the chunk holds to `flush`, and starts a fresh chunk. */
  flush(): void {
    if (this.offset === 0) return;
    this.flushChunk(this.buffer.subarray(0, this.offset));
    this.buffer = Buffer.allocUnsafe(this.chunkBytes);
    this.offset = 0;
  }
}
