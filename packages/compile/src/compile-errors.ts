import { ProgrunError, ProgrunErrorCode } from '@progrun/uapi';

const CLANG_NOT_FOUND_MARKER = 'progrun.ClangNotFoundError';
const clangNotFoundSymbol = Symbol.for(CLANG_NOT_FOUND_MARKER);
const COMPILE_MARKER = 'progrun.CompileError';
const compileSymbol = Symbol.for(COMPILE_MARKER);

/** No clang able to target BPF was found (looked at `$PROGRUN_CLANG`, then `clang`, `clang-NN` on PATH). */
export class ClangNotFoundError extends ProgrunError {
  declare readonly code: typeof ProgrunErrorCode.CLANG_NOT_FOUND;
  /** The executables that were tried, in order. */
  readonly tried: readonly string[];

  constructor(tried: readonly string[]) {
    super({
      name: 'ClangNotFoundError',
      code: ProgrunErrorCode.CLANG_NOT_FOUND,
      message: `no clang found to compile BPF C (tried ${tried.join(', ')}); install it (Debian: apt-get install clang llvm libbpf-dev) or set PROGRUN_CLANG to its path`,
    });
    this.tried = tried;
  }

  get [clangNotFoundSymbol](): true {
    return true;
  }

  /** True for a ClangNotFoundError from any copy of this package. */
  static override isInstance(error: unknown): error is ClangNotFoundError {
    return ProgrunError.hasMarker(error, CLANG_NOT_FOUND_MARKER);
  }
}

/** clang rejected a BPF C source; `diagnostics` holds its messages verbatim. */
export class CompileError extends ProgrunError {
  declare readonly code: typeof ProgrunErrorCode.COMPILE_FAILED;
  /** The source that failed. */
  readonly sourcePath: string;
  /** clang's error and warning output. */
  readonly diagnostics: string;

  constructor(sourcePath: string, diagnostics: string) {
    const first =
      diagnostics.split('\n').find((line) => line.includes('error:')) ?? diagnostics.split('\n')[0];
    super({
      name: 'CompileError',
      code: ProgrunErrorCode.COMPILE_FAILED,
      message: `${sourcePath} did not compile: ${first?.trim() ?? 'clang failed'}`,
    });
    this.sourcePath = sourcePath;
    this.diagnostics = diagnostics;
  }

  get [compileSymbol](): true {
    return true;
  }

  /** True for a CompileError from any copy of this package. */
  static override isInstance(error: unknown): error is CompileError {
    return ProgrunError.hasMarker(error, COMPILE_MARKER);
  }
}

const CACHE_NOT_WRITABLE_MARKER = 'progrun.CacheNotWritableError';
const cacheNotWritableSymbol = Symbol.for(CACHE_NOT_WRITABLE_MARKER);

/** A directory that could not take a compiled object, and why. */
export interface UnwritableDir {
  /** The directory. */
  readonly path: string;
  /** The errno name: `EROFS`, `EACCES`, `EPERM`, or `ENOTPRIVATE` for a temporary directory that is not this user's alone. */
  readonly code: string;
}

/**
 * Neither the object cache nor the temporary directory beside it could be written, so a source that is
 * not cached yet cannot be compiled.
 */
export class CacheNotWritableError extends ProgrunError {
  declare readonly code: typeof ProgrunErrorCode.CACHE_NOT_WRITABLE;
  /** The directories tried, in order: the cache, then the temporary one. */
  readonly directories: readonly UnwritableDir[];

  constructor(directories: readonly UnwritableDir[]) {
    const tried = directories.map((dir) => `${dir.path} (${dir.code})`).join(' nor ');
    super({
      name: 'CacheNotWritableError',
      code: ProgrunErrorCode.CACHE_NOT_WRITABLE,
      message: `cannot write the compiled object to ${tried}: set PROGRUN_CACHE (objects go to $PROGRUN_CACHE/objects) or XDG_CACHE_HOME to a writable directory`,
    });
    this.directories = directories;
  }

  get [cacheNotWritableSymbol](): true {
    return true;
  }

  /** True for a CacheNotWritableError from any copy of this package. */
  static override isInstance(error: unknown): error is CacheNotWritableError {
    return ProgrunError.hasMarker(error, CACHE_NOT_WRITABLE_MARKER);
  }
}
