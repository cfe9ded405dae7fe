import { ProgrunError, ProgrunErrorCode, ValidationError } from '@progrun/uapi';
import { ExitCode } from './exit-codes.js';

const MARKER = 'progrun.CliError';
const symbol = Symbol.for(MARKER);

/**
 * An error the command line reports as one paragraph (what went wrong, then what to do next) with a
 * given exit code, instead of a stack trace. Commands throw it; the entry point prints it. `cause` holds
 * the error behind it: a `ValidationError` naming the field and the rule for every usage error, the
 * library's error otherwise. `code` is `'ERR_PROGRUN_CLI'`.
 */
export class CliError extends ProgrunError {
  declare readonly code: typeof ProgrunErrorCode.CLI;
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
    super({ name: 'CliError', code: ProgrunErrorCode.CLI, message, cause: options.cause });
    this.kind = kind;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details;
  }

  get [symbol](): true {
    return true;
  }

  /** True for a CliError from any copy of this package. */
  static override isInstance(error: unknown): error is CliError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}

/**
 * A usage error (exit code 2) with a hint pointing at the command's help. Its `cause` is the
 * `ValidationError` naming `field` (`--repeat`, `--ctx.mark`, `file`) and `rule`; `message` is what the
 * user reads.
 */
export function usageError(field: string, rule: string, message: string, command?: string): CliError {
  return usageErrorOf(new ValidationError(field, rule, { message }), command, message);
}

/**
 * The usage error (exit code 2) for a library's `ValidationError`, e.g. an option harness-vm refused; its
 * message unless `message` is given.
 */
export function usageErrorOf(
  validation: ValidationError,
  command?: string,
  message = validation.message,
): CliError {
  const help = command ? `progrun ${command} --help` : 'progrun --help';
  return new CliError('usage', ExitCode.Usage, message, {
    hint: `See \`${help}\` for the options and examples.`,
    cause: validation,
  });
}

/** An error's parts as the `--json` documents carry them (`error` in schemas/error.v1.json). */
export function errorJson(error: CliError): Record<string, unknown> {
  return {
    kind: error.kind,
    exitCode: error.exitCode,
    message: error.message,
    hint: error.hint,
    details: error.details,
  };
}
