import { existsSync } from 'node:fs';
import { ValidationError } from '@progrun/uapi';

const targetArch: Record<string, string> = {
  x64: 'x86',
  arm64: 'arm64',
  arm: 'arm',
  s390x: 's390',
  ppc64: 'powerpc',
  riscv64: 'riscv',
  loong64: 'loongarch',
};

const multiarch: Record<string, string> = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  arm: 'arm-linux-gnueabihf',
  s390x: 's390x-linux-gnu',
  ppc64: 'powerpc64le-linux-gnu',
  riscv64: 'riscv64-linux-gnu',
  loong64: 'loongarch64-linux-gnu',
};

/**
 * The clang flags for a BPF object libbpf can load: optimised (the verifier needs it), with BTF and
 * line info (`-g`, for readable verifier logs), `__TARGET_ARCH_*` for `bpf_tracing.h`, and the
 * distribution's multiarch include directory, which `-target bpf` does not search by itself (Debian
 * keeps `asm/types.h` there).
 * @throws ValidationError when `arch` is not a string (a Node.js `process.arch` name).
 */
export function bpfCflags(arch: string = process.arch): string[] {
  if (typeof arch !== 'string')
    throw new ValidationError('arch', "a process.arch name ('x64')", { received: arch });
  const flags = ['-O2', '-g', '-Wall', '-target', 'bpf'];
  const archName = targetArch[arch];
  if (archName) flags.push(`-D__TARGET_ARCH_${archName}`);
  const triple = multiarch[arch];
  if (triple && existsSync(`/usr/include/${triple}`)) flags.push('-idirafter', `/usr/include/${triple}`);
  return flags;
}
