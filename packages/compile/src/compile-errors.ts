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
