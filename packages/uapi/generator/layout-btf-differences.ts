import type { KernelBtf } from '../src/kernel-btf.js';

/** What of a layout the comparison reads: the generator's and the package's layouts both fit. */
export interface ComparableLayout {
  readonly cName: string;
  readonly size: number;
  readonly fields: readonly {
    readonly name: string;
    readonly offset: number;
    readonly size: number;
    readonly bitOffset?: number;
    readonly bitWidth?: number;
    readonly type: { readonly kind: string; readonly layout?: ComparableLayout };
  }[];
}

/** Every field as [first bit, width in bits], by the dotted path KernelBtf uses. */
function bitRanges(layout: ComparableLayout, prefix: string, base: number): Map<string, [number, number]> {
  const ranges = new Map<string, [number, number]>();
  for (const f of layout.fields) {
    const start = base + f.offset * 8 + (f.bitOffset ?? 0);
    ranges.set(`${prefix}${f.name}`, [start, f.bitWidth ?? f.size * 8]);
    if (f.type.layout) {
      for (const [path, range] of bitRanges(f.type.layout, `${prefix}${f.name}.`, base + f.offset * 8))
        ranges.set(path, range);
    }
  }
  return ranges;
}

/**
 * Where a compiled layout and a kernel's BTF disagree about a record: its size, and each field's
 * bit offset and width, fields on one side only included. Empty when they agree exactly.
 */
export function layoutBtfDifferences(layout: ComparableLayout, btf: KernelBtf): string[] {
  const kernel = btf.recordFields(layout.cName);
  if (!kernel) return [`${layout.cName}: not in the BTF`];
  const differences: string[] = [];
  const size = btf.recordSize(layout.cName);
  if (size !== layout.size) differences.push(`${layout.cName}: size ${layout.size}, BTF ${size}`);
  const compiled = bitRanges(layout, '', 0);
  for (const field of kernel) {
    const range = compiled.get(field.path);
    if (!range) {
      differences.push(`${layout.cName} ${field.path}: only in the BTF`);
      continue;
    }
    compiled.delete(field.path);
    if (range[0] !== field.bitOffset || range[1] !== field.bitSize) {
      differences.push(
        `${layout.cName} ${field.path}: bits ${range[0]}+${range[1]}, BTF ${field.bitOffset}+${field.bitSize}`,
      );
    }
  }
  for (const path of compiled.keys()) differences.push(`${layout.cName} ${path}: not in the BTF`);
  return differences;
}
