import { ValidationError } from '@progrun/uapi';
import { usageError } from './cli-error.js';

/**
 * A library's ValidationError for an option the command line set, as a usage error that names the
 * flag instead of the library's option path (`options.cpus[0]` is `--cpus`, `kernels[0]` is
 * `--kernels`). `flags` maps option paths (without an index) to flags; other errors are returned as
 * they are.
 */
export function asFlagError(
  error: unknown,
  flags: Readonly<Record<string, string>>,
  command: string,
): unknown {
  if (!ValidationError.isInstance(error)) return error;
  const path = error.field.replace(/\[\d+\]$/, '');
  const flag = flags[path];
  if (flag === undefined) return error;
  const rest = error.message.startsWith(error.field)
    ? error.message.slice(error.field.length)
    : `: ${error.message}`;
  return usageError(flag, error.rule, `${flag}${rest}`, command);
}
