import { PacketError } from '../errors/packet-error.js';
import { describe } from '../packet/field-checks.js';

/**
 * Throws unless `path` is a file path (a string or a `file:` URL). Node's file functions also take a
 * descriptor number, and reading fd 0 or 2 waits on the terminal forever: the capture readers take paths
 * (and the streaming readers streams), never numbers.
 */
export function checkCapturePath(path: unknown): string | URL {
  if ((typeof path === 'string' && path.length > 0 && !path.includes('\0')) || path instanceof URL)
    return path;
  throw new PacketError(
    'path',
    'file-path',
    `expected a capture file's path (a non-empty string without NUL or a file: URL), got ${describe(path)}; ` +
      'to read a stream or a descriptor use streamCapture()',
  );
}
