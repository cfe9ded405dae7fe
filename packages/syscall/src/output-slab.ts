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
  #buffer = new ArrayBuffer(OutputSlab.SIZE);
  #offset = 0;

  /** The slab's ArrayBuffer, valid until the next {@link reserve}. */
  get buffer(): ArrayBuffer {
    return this.#buffer;
  }

  /** Where the reserved room starts. */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes from {@link offset} to the end of the slab. */
  get room(): number {
    return this.#buffer.byteLength - this.#offset;
  }

  /** Makes at least `size` bytes of room, starting a new slab when the current one has too little. */
  reserve(size: number): void {
    if (this.room < size) {
      this.#buffer = new ArrayBuffer(Math.max(OutputSlab.SIZE, size));
      this.#offset = 0;
    }
  }

  /** The `length` bytes at `at`, inside the reserved room, as a Buffer. */
  view(at: number, length: number): Buffer {
    return Buffer.from(this.#buffer, at, length);
  }

  /** Hands the room up to `end` over to the views cut from it: the next reservation starts after it. */
  consume(end: number): void {
    this.#offset = (end + 7) & ~7;
  }
}
