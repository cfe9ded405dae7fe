/** Bytes the codecs read and write: a Buffer, any Uint8Array, a DataView or an ArrayBuffer. */
export type ByteSource = Uint8Array | DataView | ArrayBuffer;

/** A DataView over exactly the given bytes (no copy). */
export function viewOf(bytes: ByteSource): DataView {
  if (bytes instanceof DataView) return bytes;
  if (bytes instanceof ArrayBuffer) return new DataView(bytes);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
