import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decode } from '../src/decode.js';
import { encode, encodeInto } from '../src/encode.js';
import { layoutsByVersion } from '../src/generated/layouts.js';
import { headerVersions } from '../src/header-version.js';
import type { StructLayout } from '../src/layout-types.js';
import type { LayoutInput } from '../src/layout-value-types.js';
import { layoutArbitrary } from './support/layout-arbitrary.js';

const cases = headerVersions.flatMap((version) =>
  (Object.values(layoutsByVersion[version]) as StructLayout[]).map(
    (layout) => [version, layout.name, layout] as const,
  ),
);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** The decoded fields that the value set, recursing into nested records: decode returns every field. */
function pick(decoded: Record<string, unknown>, value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const d = decoded[k];
      return [k, isRecord(v) && isRecord(d) ? pick(d, v) : d];
    }),
  );
}

describe.each(cases)('%s %s', (_version, _name, layout) => {
  test('decode(encode(value)) gives the value back', () => {
    fc.assert(
      fc.property(layoutArbitrary(layout), (value) => {
        const bytes = encode(layout, value as LayoutInput<StructLayout>);
        expect(bytes.length).toBe(layout.size);
        expect(pick(decode(layout, bytes), value)).toEqual(value);
      }),
      { numRuns: 60 },
    );
  });

  test('encodeInto at an offset writes only inside the record', () => {
    fc.assert(
      fc.property(layoutArbitrary(layout), fc.nat({ max: 16 }), (value, offset) => {
        const target = new Uint8Array(layout.size + offset + 8).fill(0xa5);
        encodeInto(layout, value as LayoutInput<StructLayout>, target, offset);
        expect([...target.subarray(0, offset)].every((b) => b === 0xa5)).toBe(true);
        expect([...target.subarray(offset + layout.size)].every((b) => b === 0xa5)).toBe(true);
        expect(pick(decode(layout, target, offset), value)).toEqual(value);
      }),
      { numRuns: 20 },
    );
  });
});
