import { Buffer } from 'node:buffer';

/**
 * Where synchronous test runs have the kernel write their output: a slab that results are cut from as
 * views, as Buffer.allocUnsafe cuts small buffers from its pool. A run reserves room, the kernel writes
 * into it, and the bytes it wrote become the result without a copy; the next run starts after them.
 * A result therefore shares its ArrayBuffer with other results (`Buffer.from(result)` makes a compact
 * copy), and a slab lives as long as any result cut from it.
 * @internal
 */
export class OutputSlab {
  static readonly SIZE = 64 * 1024;
  /** The current slab; replaced by {@link reserve} when it runs out. */
  buffer = new ArrayBuffer(OutputSlab.SIZE);
  /**
   * The current slab's byte length, kept beside it: reading an ArrayBuffer's byteLength is a call into
   * the engine on every run.
   */
  size = OutputSlab.SIZE;
  /** Where the free room starts. */
  offset = 0;

  /** Makes at least `size` bytes of room after {@link offset}, starting a new slab if needed. */
  reserve(size: number): void {
    if (this.size - this.offset < size) {
      this.size = Math.max(OutputSlab.SIZE, size);
      this.buffer = new ArrayBuffer(this.size);
      this.offset = 0;
    }
  }

  /** The `length` bytes at `at`, inside the reserved room, as a Buffer. */
  view(at: number, length: number): Buffer {
    return Buffer.from(this.buffer, at, length);
  }

  /** Hands the room up to `end` over to the views cut from it: the next reservation starts after it. */
  consume(end: number): void {
    this.offset = (end + 7) & ~7;
  }
}
