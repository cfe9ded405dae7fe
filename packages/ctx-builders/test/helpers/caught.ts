import { ContextValidationError } from '../../src/index.js';

/** The ContextValidationError `fn` throws; fails when it returns or throws anything else. */
export function rejection(fn: () => unknown): ContextValidationError {
  try {
    fn();
  } catch (err) {
    if (ContextValidationError.isInstance(err)) return err;
    throw err;
  }
  throw new Error('accepted');
}
