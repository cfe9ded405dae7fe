import { execa, execaSync } from 'execa';
import { CommandError } from '../errors/command-error.js';

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** What the command is for; goes into the error message. */
  readonly purpose: string;
  readonly signal?: AbortSignal;
}

/**
 * Runs a system tool (no shell) and returns its stdout. Throws {@link CommandError} when it cannot start
 * or exits non-zero, and the signal's reason when aborted.
 * @internal
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<string> {
  options.signal?.throwIfAborted();
  const result = await execa(command, args, {
    reject: false,
    stdin: 'ignore',
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  if (result.isCanceled) options.signal?.throwIfAborted();
  if (result.failed) {
    throw new CommandError({
      command,
      args,
      exitCode: result.exitCode,
      stderr: typeof result.stderr === 'string' ? result.stderr : '',
      purpose: options.purpose,
      cause: result.cause,
    });
  }
  return typeof result.stdout === 'string' ? result.stdout : '';
}

/**
 * Synchronous {@link runCommand}, for process exit hooks (nothing asynchronous runs there). Never throws:
 * returns whether the command succeeded.
 * @internal
 */
export function runCommandSync(command: string, args: readonly string[]): boolean {
  try {
    return !execaSync(command, args, { reject: false, stdin: 'ignore' }).failed;
  } catch {
    return false;
  }
}
