/**
 * `@progrun/compile`: compiling BPF C to an ELF object with clang, through a content-addressed cache.
 * No native addon: load the object with `@progrun/syscall`'s `BpfObject`.
 */

export { bpfCflags } from './bpf-cflags.js';
export {
  type CompiledObject,
  type CompileOptions,
  compileBpfC,
  objectCacheDir,
} from './clang-cache.js';
export { ClangNotFoundError, CompileError } from './compile-errors.js';
export { type Clang, findClang } from './find-clang.js';
