import { ProgrunError, ProgrunErrorCode } from '@progrun/uapi';

const MARKER = 'progrun.CommandError';
const symbol = Symbol.for(MARKER);

/** What a {@link CommandError} is built from. */
export interface CommandErrorOptions {
  /** The program that failed, e.g. `'ip'`. */
  readonly command: string;
  readonly args: readonly string[];
  /** Exit code, or undefined when the program could not start or was killed. */
  readonly exitCode: number | undefined;
  readonly stderr: string;
  /** What the command was for, e.g. `'create network namespace pr-xl-1234-0-a'`. */
  readonly purpose: string;
  readonly cause?: unknown;
}

/**
 * A system tool the topology helpers run (iproute2's `ip`, `ethtool`) failed. `command`, `args`,
 * `exitCode` and `stderr` say how; `purpose` says what for; `code` is `'ERR_PROGRUN_COMMAND_FAILED'`. Use {@link CommandError.isInstance} rather
 * than `instanceof`: it also recognises errors from another copy of this package.
 */
export class CommandError extends ProgrunError {
  declare readonly code: typeof ProgrunErrorCode.COMMAND_FAILED;
  readonly command: string;
  readonly args: readonly string[];
  readonly exitCode: number | undefined;
  readonly stderr: string;
  readonly purpose: string;

  constructor(options: CommandErrorOptions) {
    const status = options.exitCode === undefined ? 'could not run' : `exited with ${options.exitCode}`;
    const detail = options.stderr.trim();
    super({
      name: 'CommandError',
      code: ProgrunErrorCode.COMMAND_FAILED,
      message: `${options.purpose}: \`${[options.command, ...options.args].join(' ')}\` ${status}${detail ? `: ${detail}` : ''}`,
      cause: options.cause,
    });
    this.command = options.command;
    this.args = options.args;
    this.exitCode = options.exitCode;
    this.stderr = options.stderr;
    this.purpose = options.purpose;
  }

  get [symbol](): true {
    return true;
  }

  /** True for a CommandError from any copy of @progrun/xdp-live. */
  static override isInstance(error: unknown): error is CommandError {
    return ProgrunError.hasMarker(error, MARKER);
  }
}
