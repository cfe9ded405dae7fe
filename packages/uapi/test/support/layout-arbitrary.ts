import fc from 'fast-check';
import type { FieldLayout, FieldType, StructLayout } from '../../src/layout-types.js';

const NAME_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.'];

/** Any value of the type, exactly as `decode` would return it (bigint for 8 bytes, full-length arrays). */
export function typeArbitrary(type: FieldType): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'int': {
      const bits = BigInt(type.size * 8);
      const big = type.signed
        ? fc.bigInt(-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n)
        : fc.bigInt(0n, (1n << bits) - 1n);
      return type.size === 8 ? big : big.map(Number);
    }
    case 'pointer':
      return fc.bigInt(0n, (1n << 64n) - 1n);
    case 'chars':
      return fc.string({ unit: fc.constantFrom(...NAME_CHARS), maxLength: Math.max(0, type.length - 1) });
    case 'array': {
      const element = type.element;
      if (element.kind === 'int' && element.size === 1) {
        return fc.uint8Array({ minLength: type.length, maxLength: type.length });
      }
      return fc.array(typeArbitrary(element), { minLength: type.length, maxLength: type.length });
    }
    case 'record':
      return layoutArbitrary(type.layout);
  }
}

function fieldArbitrary(field: FieldLayout): fc.Arbitrary<unknown> {
  if (field.bitWidth === undefined) return typeArbitrary(field.type);
  const signed = field.type.kind === 'int' && field.type.signed;
  const width = field.bitWidth;
  return signed
    ? fc.integer({ min: -(2 ** (width - 1)), max: 2 ** (width - 1) - 1 })
    : fc.integer({ min: 0, max: 2 ** width - 1 });
}

/** The bit range a field occupies, to keep overlapping union members out of one value. */
function bitRange(field: FieldLayout): [number, number] {
  if (field.bitWidth === undefined) return [field.offset * 8, (field.offset + field.size) * 8];
  const start = field.offset * 8 + (field.bitOffset ?? 0);
  return [start, start + field.bitWidth];
}

/**
 * A value for a random subset of the layout's fields with no two fields sharing bits (unions and
 * anonymous unions overlap), so decoding must give back exactly what was encoded.
 */
export function layoutArbitrary(layout: StructLayout): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.array(fc.boolean(), { minLength: layout.fields.length, maxLength: layout.fields.length }),
      fc.tuple(...layout.fields.map(fieldArbitrary)),
      fc.nat({ max: Math.max(0, layout.fields.length - 1) }),
    )
    .map(([chosen, values, rotation]) => {
      const value: Record<string, unknown> = {};
      const taken: [number, number][] = [];
      // Rotating the start lets every member of a union be the one kept.
      for (let k = 0; k < layout.fields.length; k++) {
        const i = (k + rotation) % layout.fields.length;
        const field = layout.fields[i]!;
        if (!chosen[i]) continue;
        const [start, end] = bitRange(field);
        if (taken.some(([s, e]) => start < e && s < end)) continue;
        taken.push([start, end]);
        value[field.name] = values[i];
      }
      return value;
    });
}
