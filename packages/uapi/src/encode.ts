import { types } from 'node:util';
import { objectArgument, offsetArgument } from './arguments/argument-checks.js';
import { type ByteSource, viewOf } from './byte-view.js';
import { ValidationError } from './errors/validation-error.js';
import { checkedInteger, writeBits, writeInt } from './int-codec.js';
import { layoutArgument } from './layout-argument.js';
import { fieldMap } from './layout-lookup.js';
import type { FieldLayout, FieldType, StructLayout } from './layout-types.js';
import type { LayoutInput } from './layout-value-types.js';

const utf8 = new TextEncoder();

function isIntegerArrayLike(value: unknown): value is ArrayLike<unknown> {
  // Not a Proxy: its length is read once, from the real array.
  return (Array.isArray(value) && !types.isProxy(value)) || types.isUint8Array(value);
}

function encodeType(
  view: DataView,
  offset: number,
  size: number,
  type: FieldType,
  value: unknown,
  path: string,
): void {
  switch (type.kind) {
    case 'int':
      writeInt(view, offset, type, checkedInteger(path, value, type.size * 8, type.signed));
      return;
    case 'pointer':
      view.setBigUint64(offset, checkedInteger(path, value, 64, false), true);
      return;
    case 'chars': {
      let bytes: Uint8Array;
      if (typeof value === 'string') {
        bytes = utf8.encode(value);
        if (bytes.length > type.length - 1) {
          throw new ValidationError(path, `at most ${type.length - 1} UTF-8 bytes, NUL-terminated`, {
            message: `must be at most ${type.length - 1} UTF-8 bytes, NUL-terminated (it is ${bytes.length})`,
            received: value,
          });
        }
      } else if (types.isUint8Array(value)) {
        bytes = value;
        if (bytes.length > type.length)
          throw new ValidationError(path, `at most ${type.length} bytes`, { received: value });
      } else {
        throw new ValidationError(path, 'a string or a Uint8Array', { received: value });
      }
      new Uint8Array(view.buffer, view.byteOffset + offset, type.length).fill(0).set(bytes);
      return;
    }
    case 'array': {
      if (!isIntegerArrayLike(value))
        throw new ValidationError(path, `an array of at most ${type.length} elements`, { received: value });
      if (value.length > type.length) {
        throw new ValidationError(path, `an array of at most ${type.length} elements`, { received: value });
      }
      const stride = type.length === 0 ? 0 : size / type.length;
      new Uint8Array(view.buffer, view.byteOffset + offset, size).fill(0);
      for (let i = 0; i < value.length; i++) {
        encodeType(view, offset + i * stride, stride, type.element, value[i], `${path}[${i}]`);
      }
      return;
    }
    case 'record':
      if (typeof value !== 'object' || value === null)
        throw new ValidationError(path, `an object (${type.layout.cName})`, { received: value });
      encodeFields(view, offset, type.layout, value as Record<string, unknown>, path);
      return;
  }
}

function encodeField(view: DataView, base: number, field: FieldLayout, value: unknown, path: string): void {
  if (field.bitWidth === undefined) {
    encodeType(view, base + field.offset, field.size, field.type, value, path);
    return;
  }
  const signed = field.type.kind === 'int' && field.type.signed;
  const bits = checkedInteger(path, value, field.bitWidth, signed);
  writeBits(view, base + field.offset, field.size, field.bitOffset ?? 0, field.bitWidth, bits);
}

function encodeFields(
  view: DataView,
  base: number,
  layout: StructLayout,
  value: Record<string, unknown>,
  path: string,
): void {
  const fields = fieldMap(layout);
  for (const [name, fieldValue] of Object.entries(value)) {
    if (fieldValue === undefined) continue;
    const field = fields.get(name);
    if (!field) throw new ValidationError(`${path}.${name}`, `a field of ${layout.cName}`);
    encodeField(view, base, field, fieldValue, `${path}.${name}`);
  }
}

/**
 * Writes the given fields of a value into existing bytes at `byteOffset`; bytes of fields not
 * given are left as they are. 8-byte integers take bigint or a safe-integer number; `char[N]`
 * takes a string (at most N-1 UTF-8 bytes, NUL-padded) or bytes; arrays may be shorter than N
 * (the rest is zeroed); `__be16`/`__be32` fields take host values and are stored in network order.
 * @throws {ValidationError} naming the field and the rule, for an unknown field, a value of the
 *   wrong type or out of range, a target smaller than `byteOffset + layout.size`, or a layout that is not
 *   one of the generated ones.
 */
export function encodeInto<L extends StructLayout>(
  layout: L,
  value: LayoutInput<L>,
  target: ByteSource,
  byteOffset = 0,
): void {
  layoutArgument('layout', layout);
  const view = viewOf(target, 'target');
  offsetArgument('byteOffset', byteOffset);
  if (byteOffset + layout.size > view.byteLength) {
    const rule = `needs ${layout.size} bytes at offset ${byteOffset}`;
    throw new ValidationError(layout.name, rule, {
      message: `${rule}; the target has ${view.byteLength}`,
    });
  }
  objectArgument(layout.name, value, `an object (${layout.cName}), not a Proxy`);
  encodeFields(view, byteOffset, layout, value as Record<string, unknown>, layout.name);
}

/**
 * Encodes a value as a new, zero-filled record of `layout.size` bytes. Fields not given are zero.
 * Minimum kernel: none (pure data); whether the kernel accepts a field depends on the kernel (a field's `firstHeaderSet` bounds when it appeared).
 * @throws {ValidationError} as {@link encodeInto}.
 */
export function encode<L extends StructLayout>(layout: L, value: LayoutInput<L>): Uint8Array {
  layoutArgument('layout', layout);
  const bytes = new Uint8Array(layout.size);
  encodeInto(layout, value, bytes);
  return bytes;
}
