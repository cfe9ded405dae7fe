import { offsetArgument } from './arguments/argument-checks.js';
import { type ByteSource, viewOf } from './byte-view.js';
import { ValidationError } from './errors/validation-error.js';
import { readBits, readInt } from './int-codec.js';
import { layoutArgument } from './layout-argument.js';
import type { FieldLayout, FieldType, StructLayout } from './layout-types.js';
import type { LayoutValue } from './layout-value-types.js';

const utf8 = new TextDecoder();

function decodeType(view: DataView, offset: number, size: number, type: FieldType): unknown {
  switch (type.kind) {
    case 'int':
      return readInt(view, offset, type);
    case 'pointer':
      return view.getBigUint64(offset, true);
    case 'chars': {
      const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, type.length);
      const end = bytes.indexOf(0);
      return utf8.decode(end === -1 ? bytes : bytes.subarray(0, end));
    }
    case 'array': {
      if (type.element.kind === 'int' && type.element.size === 1) {
        return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + size));
      }
      const stride = type.length === 0 ? 0 : size / type.length;
      return Array.from({ length: type.length }, (_, i) =>
        decodeType(view, offset + i * stride, stride, type.element),
      );
    }
    case 'record':
      return decodeFields(view, offset, type.layout);
  }
}

function decodeField(view: DataView, base: number, field: FieldLayout): unknown {
  if (field.bitWidth === undefined) return decodeType(view, base + field.offset, field.size, field.type);
  const signed = field.type.kind === 'int' && field.type.signed;
  return readBits(view, base + field.offset, field.size, field.bitOffset ?? 0, field.bitWidth, signed);
}

function decodeFields(view: DataView, base: number, layout: StructLayout): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const field of layout.fields) value[field.name] = decodeField(view, base, field);
  return value;
}

/**
 * Decodes a record at `byteOffset`: every field, 8-byte integers and pointers as bigint, `char[N]`
 * up to its NUL as a string, byte arrays as a copied Uint8Array, `__be` fields in host order.
 * Fields of a union's members overlap, so each is decoded from the same bytes.
 * @throws {ValidationError} when fewer than `layout.size` bytes follow `byteOffset`, or for a layout that
 *   is not one of the generated ones, a source that is not bytes, an offset that is not a safe integer >= 0.
 */
export function decode<L extends StructLayout>(
  layout: L,
  source: ByteSource,
  byteOffset = 0,
): LayoutValue<L> {
  layoutArgument('layout', layout);
  const view = viewOf(source, 'source');
  offsetArgument('byteOffset', byteOffset);
  if (byteOffset + layout.size > view.byteLength) {
    const rule = `needs ${layout.size} bytes at offset ${byteOffset}`;
    throw new ValidationError(layout.name, rule, {
      message: `${rule}; the source has ${view.byteLength}`,
    });
  }
  return decodeFields(view, byteOffset, layout) as LayoutValue<L>;
}
