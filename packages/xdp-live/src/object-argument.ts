import { ValidationError } from '@progrun/syscall';

/**
 * An argument that must be an object (a result, a reference, an options bag): anything else is a
 * ValidationError naming `field`, not a TypeError from the first property read.
 * @internal
 */
export function objectArgument<T extends object>(field: string, value: T, what: string): T {
  if (typeof value !== 'object' || value === null)
    throw new ValidationError(field, what, { received: value });
  return value;
}
