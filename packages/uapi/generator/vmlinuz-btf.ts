import { execFileSync } from 'node:child_process';

/**
 * The decompressors of the payloads Debian's amd64 kernels use (xz up to 6.1, zstd since), by the
 * payload's first bytes.
 */
const DECOMPRESSORS: readonly { readonly magic: readonly number[]; readonly tool: string }[] = [
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], tool: 'xz' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], tool: 'zstd' },
];

/**
 * The ELF vmlinux inside an x86 bzImage. The boot protocol (2.08+) header gives the compressed
 * payload's place (`payload_offset` at 0x248, `payload_length` at 0x24c, from the start of the
 * protected-mode code after the `setup_sects` sectors); the kernel's build appends the
 * uncompressed size as a little-endian u32, which is checked.
 */
export function vmlinuxOfBzImage(bzImage: Uint8Array): Buffer {
  const image = Buffer.from(bzImage.buffer, bzImage.byteOffset, bzImage.byteLength);
  if (image.length < 0x250 || image.toString('latin1', 0x202, 0x206) !== 'HdrS')
    throw new Error('not an x86 bzImage (no HdrS boot header)');
  const protectedMode = ((image[0x1f1] || 4) + 1) * 512;
  const start = protectedMode + image.readUInt32LE(0x248);
  const payload = image.subarray(start, start + image.readUInt32LE(0x24c));
  const decompressor = DECOMPRESSORS.find((d) => d.magic.every((byte, i) => payload[i] === byte));
  if (!decompressor)
    throw new Error(
      `bzImage payload compressed with an unsupported method (${payload.toString('hex', 0, 6)})`,
    );
  const expectedSize = payload.readUInt32LE(payload.length - 4);
  const vmlinux = execFileSync(decompressor.tool, ['-dc'], {
    input: payload.subarray(0, payload.length - 4),
    maxBuffer: 1 << 30,
  });
  if (vmlinux.length !== expectedSize)
    throw new Error(`vmlinux is ${vmlinux.length} bytes, the bzImage says ${expectedSize}`);
  return vmlinux;
}

/** The bytes of a section of a little-endian ELF64 file, by name (`.BTF`). */
export function elfSection(elf: Buffer, name: string): Buffer {
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1)
    throw new Error('not a little-endian ELF64 file');
  const sectionHeaders = Number(elf.readBigUInt64LE(0x28));
  const entrySize = elf.readUInt16LE(0x3a);
  const count = elf.readUInt16LE(0x3c);
  const header = (i: number) => sectionHeaders + i * entrySize;
  const names = Number(elf.readBigUInt64LE(header(elf.readUInt16LE(0x3e)) + 0x18));
  for (let i = 0; i < count; i++) {
    const at = header(i);
    const nameStart = names + elf.readUInt32LE(at);
    if (elf.toString('latin1', nameStart, elf.indexOf(0, nameStart)) !== name) continue;
    const offset = Number(elf.readBigUInt64LE(at + 0x18));
    return elf.subarray(offset, offset + Number(elf.readBigUInt64LE(at + 0x20)));
  }
  throw new Error(`the ELF file has no ${name} section`);
}
