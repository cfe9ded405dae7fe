import { ValidationError } from '@progrun/syscall';

/**
 * An optional AbortSignal argument: anything else is a ValidationError naming `field`, not a TypeError
 * from the first `throwIfAborted()`.
 * @internal
 */
export function signalArgument(field: string, value: unknown): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal))
    throw new ValidationError(field, 'an AbortSignal', { received: value });
  return value;
}
