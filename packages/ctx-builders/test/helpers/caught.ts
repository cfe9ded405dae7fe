import { PacketError, ValidationError } from '../../src/index.js';

/** The context ValidationError `fn` throws; fails when it returns or throws anything else (a PacketError too). */
export function rejection(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    if (ValidationError.isInstance(err) && !PacketError.isInstance(err)) return err;
    throw err;
  }
  throw new Error('accepted');
}
