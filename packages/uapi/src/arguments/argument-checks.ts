import { types } from 'node:util';
import { ValidationError } from '../errors/validation-error.js';

/**
 * Checks of the arguments of uapi's functions, for JavaScript callers and hostile values: each returns the
 * value or throws a {@link ValidationError} naming the field and the rule. None converts an object to a
 * string or walks it (a Proxy around an array claiming 2^32-1 elements would be joined or iterated forever).
 * @internal
 */

/** A string. */
export function stringArgument(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'a string', { received: value });
  return value;
}

/** A Number (any: the lookups answer undefined for one they do not know). */
export function numberArgument(field: string, value: unknown): number {
  if (typeof value !== 'number') throw new ValidationError(field, 'a number', { received: value });
  return value;
}

/** A real array, not a Proxy around one (whose length would be read, and walked, as it claims). */
export function arrayArgument(field: string, value: unknown): readonly unknown[] {
  if (!Array.isArray(value) || types.isProxy(value))
    throw new ValidationError(field, 'an array (not a Proxy)', { received: value });
  return value;
}

/** An object that is not a Proxy, so that reading its properties runs no code of the caller's. */
export function objectArgument(field: string, value: unknown, what: string): object {
  if (typeof value !== 'object' || value === null || types.isProxy(value))
    throw new ValidationError(field, what, { received: value });
  return value;
}

/** A byte offset: a safe integer >= 0. */
export function offsetArgument(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new ValidationError(field, 'a safe integer >= 0', { received: value });
  return value;
}
