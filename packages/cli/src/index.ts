/**
 * `@progrun/cli`: the `progrun` command line, and the pieces of it that are useful from code: compiling
 * BPF C through the object cache, and running the CLI in-process.
 */

export { CliError } from './cli/cli-error.js';
export { ExitCode } from './cli/exit-codes.js';
export { bpfCflags } from './compile/bpf-cflags.js';
export {
  type CompiledObject,
  type CompileOptions,
  compileBpfC,
  defaultCacheDir,
} from './compile/clang-cache.js';
export { ClangNotFoundError, CompileError } from './compile/compile-errors.js';
export { type Clang, findClang } from './compile/find-clang.js';
