/**
 * `@progrun/compile`: compiling BPF C to an ELF object with clang, through a content-addressed cache
 * that answers a hit without running clang. No native addon: load the object with `@progrun/syscall`'s
 * `BpfObject`.
 */

export { bpfCflags } from './bpf-cflags.js';
export { type CompiledObject, type CompileOptions, compileBpfC } from './compile-bpf-c.js';
export {
  CacheNotWritableError,
  ClangNotFoundError,
  CompileError,
  type UnwritableDir,
} from './compile-errors.js';
export { type Clang, findClang } from './find-clang.js';
export { objectCacheDir } from './object-cache-dir.js';
