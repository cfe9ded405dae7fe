const MARKER = 'progrun.error';
const symbol = Symbol.for(MARKER);

/** What every {@link ProgrunError} is built from. */
export interface ProgrunErrorOptions {
  /** The class name, e.g. `'BpfError'`; becomes `error.name`. */
  readonly name: string;
  /** The error's code: an errno name for a kernel's answer, else an `ERR_PROGRUN_*` code (see {@link ProgrunErrorCode}). */
  readonly code: string;
  readonly message: string;
  /** The error that led to this one; absent rather than `undefined` when there is none. */
  readonly cause?: unknown;
}

/**
 * The base of every error progrun throws, so "is this any progrun error?" is one question:
 * `ProgrunError.isInstance(error)`. `code` says what kind it is: the errno name for a kernel's answer
 * (`'EINVAL'`, `'ENOTSUPP'`, with the negative `errno` beside it, as in Node.js's SystemError), else one of
 * the `ERR_PROGRUN_*` codes of {@link ProgrunErrorCode}.
 *
 * Each subclass carries its own `Symbol.for('progrun.<ClassName>')` marker and a static `isInstance`
 * built on {@link ProgrunError.hasMarker}, so the checks work across duplicated copies of the packages
 * (two versions in one `node_modules` tree), where `instanceof` does not. The markers are prototype
 * getters: they cost nothing per error and stay out of `util.inspect` output.
 *
 * Minimum kernel: none (pure TypeScript).
 */
export class ProgrunError extends Error {
  /** An errno name (`'EINVAL'`) for a kernel's answer, else an `ERR_PROGRUN_*` code. */
  readonly code: string;

  constructor(options: ProgrunErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.name;
    this.code = options.code;
  }

  get [symbol](): true {
    return true;
  }

  /** True for any progrun error, also one from another copy of the package that threw it. */
  static isInstance(error: unknown): error is ProgrunError {
    return ProgrunError.hasMarker(error, MARKER);
  }

  /** True when `error` carries the `Symbol.for(marker)` marker (own or inherited) set to `true`. */
  protected static hasMarker(error: unknown, marker: string): boolean {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[Symbol.for(marker)] === true
    );
  }
}
