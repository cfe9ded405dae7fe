/**
 * A value for an error message: short strings quoted, long ones cut, objects by their kind and size.
 * Safe on hostile input: it never converts an object to a string (an array-like Proxy with a length of
 * 2^32-1 would be joined element by element) and a Proxy whose traps throw is described as such.
 *
 * Minimum kernel: none (pure TypeScript). Throws nothing.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'function') return 'a function';
  // ArrayBuffer.isView reads an internal slot: true only for a real typed array or DataView, never a Proxy.
  if (ArrayBuffer.isView(value))
    return `${Object.prototype.toString.call(value).slice(8, -1)}(${value.byteLength} bytes)`;
  try {
    if (Array.isArray(value)) return `an array of ${Number((value as unknown[]).length)}`;
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return `an object (${typeof name === 'string' ? name.slice(0, 40) : 'null prototype'})`;
  } catch {
    return 'an object whose properties cannot be read';
  }
}
