import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/** What the interrupt's signal said: `interrupted by SIGINT`, or `interrupted` for a reason without text. */
export function interruptReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'interrupted';
}

/**
 * The error a command ends with when SIGINT or SIGTERM stopped it (its `signal` aborted): exit code 130,
 * kind `interrupted`, and a message saying how far it got (`interrupted by SIGINT after 0 frames`).
 * Never an internal error: whatever the work threw while it was being stopped is only its `cause`.
 */
export function interruptedError(
  signal: AbortSignal,
  progress: string | undefined,
  cause: unknown,
): CliError {
  const reason = interruptReason(signal);
  return new CliError(
    'interrupted',
    ExitCode.Interrupted,
    progress ? `${reason} after ${progress}` : reason,
    {
      cause,
    },
  );
}
