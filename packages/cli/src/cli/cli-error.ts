import { ExitCode } from './exit-codes.js';

const brand = Symbol.for('progrun.cli.CliError');

/**
 * An error the command line reports as one paragraph (what went wrong, then what to do next) with a
 * given exit code, instead of a stack trace. Commands throw it; the entry point prints it.
 */
export class CliError extends Error {
  /** The process exit code this error ends with. */
  readonly exitCode: ExitCode;
  /** A short machine-readable kind, e.g. `usage`, `verifier`, `not-supported`. */
  readonly kind: string;
  /** What the user can do about it, one sentence; printed after the message. */
  readonly hint: string | undefined;
  /** Extra text printed after the paragraph, e.g. the verifier log or compiler diagnostics. */
  readonly details: string | undefined;

  constructor(
    kind: string,
    exitCode: ExitCode,
    message: string,
    options: { hint?: string; details?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.kind = kind;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details;
    Object.defineProperty(this, brand, { value: true });
  }

  /** True for a CliError from any copy of this package. */
  static isInstance(value: unknown): value is CliError {
    return typeof value === 'object' && value !== null && brand in value;
  }
}

/** A usage error (exit code 2) with a hint pointing at the command's help. */
export function usageError(message: string, command?: string): CliError {
  const help = command ? `progrun ${command} --help` : 'progrun --help';
  return new CliError('usage', ExitCode.Usage, message, {
    hint: `See \`${help}\` for the options and examples.`,
  });
}
