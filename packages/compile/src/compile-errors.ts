const clangMissingBrand = Symbol.for('progrun.compile.ClangNotFoundError');
const compileBrand = Symbol.for('progrun.compile.CompileError');

/** No clang able to target BPF was found (looked at `$PROGRUN_CLANG`, then `clang`, `clang-NN` on PATH). */
export class ClangNotFoundError extends Error {
  /** The executables that were tried, in order. */
  readonly tried: readonly string[];

  constructor(tried: readonly string[]) {
    super(
      `no clang found to compile BPF C (tried ${tried.join(', ')}); install it (Debian: apt-get install clang llvm libbpf-dev) or set PROGRUN_CLANG to its path`,
    );
    this.name = 'ClangNotFoundError';
    this.tried = tried;
    Object.defineProperty(this, clangMissingBrand, { value: true });
  }

  /** True for a ClangNotFoundError from any copy of this package. */
  static isInstance(value: unknown): value is ClangNotFoundError {
    return typeof value === 'object' && value !== null && clangMissingBrand in value;
  }
}

/** clang rejected a BPF C source; `diagnostics` holds its messages verbatim. */
export class CompileError extends Error {
  /** The source that failed. */
  readonly sourcePath: string;
  /** clang's error and warning output. */
  readonly diagnostics: string;

  constructor(sourcePath: string, diagnostics: string) {
    const first =
      diagnostics.split('\n').find((line) => line.includes('error:')) ?? diagnostics.split('\n')[0];
    super(`${sourcePath} did not compile: ${first?.trim() ?? 'clang failed'}`);
    this.name = 'CompileError';
    this.sourcePath = sourcePath;
    this.diagnostics = diagnostics;
    Object.defineProperty(this, compileBrand, { value: true });
  }

  /** True for a CompileError from any copy of this package. */
  static isInstance(value: unknown): value is CompileError {
    return typeof value === 'object' && value !== null && compileBrand in value;
  }
}

const cacheNotWritableBrand = Symbol.for('progrun.compile.CacheNotWritableError');

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
export class CacheNotWritableError extends Error {
  /** The directories tried, in order: the cache, then the temporary one. */
  readonly directories: readonly UnwritableDir[];

  constructor(directories: readonly UnwritableDir[]) {
    const tried = directories.map((dir) => `${dir.path} (${dir.code})`).join(' nor ');
    super(
      `cannot write the compiled object to ${tried}: set PROGRUN_CACHE (objects go to $PROGRUN_CACHE/objects) or XDG_CACHE_HOME to a writable directory`,
    );
    this.name = 'CacheNotWritableError';
    this.directories = directories;
    Object.defineProperty(this, cacheNotWritableBrand, { value: true });
  }

  /** True for a CacheNotWritableError from any copy of this package. */
  static isInstance(value: unknown): value is CacheNotWritableError {
    return typeof value === 'object' && value !== null && cacheNotWritableBrand in value;
  }
}
