import { types } from 'node:util';
import { ValidationError } from './errors/validation-error.js';

/** Bytes the codecs read and write: a Buffer, any Uint8Array, a DataView or an ArrayBuffer. */
export type ByteSource = Uint8Array | DataView | ArrayBuffer;

/**
 * A DataView over exactly the given bytes (no copy).
 * @throws {ValidationError} naming `field` for anything else, a Proxy around bytes included (its length
 *   getters would throw).
 */
export function viewOf(bytes: ByteSource, field = 'bytes'): DataView {
  // Internal-slot checks: true only for real typed arrays, DataViews and ArrayBuffers.
  if (types.isDataView(bytes)) return bytes;
  if (types.isArrayBuffer(bytes)) return new DataView(bytes);
  if (ArrayBuffer.isView(bytes)) return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw new ValidationError(field, 'a Uint8Array, Buffer, DataView or ArrayBuffer', { received: bytes });
}
