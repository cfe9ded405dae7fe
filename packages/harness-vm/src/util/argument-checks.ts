import { types } from 'node:util';
import { ValidationError } from '@progrun/uapi';

/**
 * Checks of the arguments of harness-vm's functions for JavaScript callers: each returns the value or
 * throws a ValidationError naming the field, never a TypeError from the first use of a wrong value.
 * @internal
 */

/** A string. */
export function stringArgument(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new ValidationError(field, 'a string', { received: value });
  return value;
}

/** An object (a result, a report, an options bag). */
export function objectArgument<T>(field: string, value: T, what: string): T {
  if (typeof value !== 'object' || value === null)
    throw new ValidationError(field, what, { received: value });
  return value;
}

/** A real array, not a Proxy around one (whose length is whatever it claims). */
export function arrayArgument<T>(field: string, value: readonly T[]): readonly T[] {
  if (!Array.isArray(value) || types.isProxy(value))
    throw new ValidationError(field, 'an array (not a Proxy)', { received: value });
  return value;
}

/** A finite number >= 0. */
export function countArgument(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new ValidationError(field, 'a finite number >= 0', { received: value });
  return value;
}
