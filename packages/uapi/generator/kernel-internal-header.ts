import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KernelBtf } from '../src/kernel-btf.js';
import { btfCDeclarations } from './btf-c-declarations.js';
import { type KernelImageSource, kernelInternalHeaderComment } from './kernel-internal-inputs.js';
import { KERNEL_INTERNAL_RECORDS } from './kernel-internal-records.js';
import { layoutBtfDifferences } from './layout-btf-differences.js';
import { collectLayouts } from './record-layouts.js';

/**
 * The committed header of a kernel line: C declarations of the kernel-internal records it has,
 * written from its BTF, checked by compiling them: every field's offset and width and every
 * record's size must be what the BTF says.
 * @throws when the compiled layout differs from the BTF (a record that needs packing or alignment
 *   attributes BTF does not record).
 */
export function kernelInternalHeader(
  source: KernelImageSource,
  btf: KernelBtf,
  records: readonly string[] = KERNEL_INTERNAL_RECORDS,
): string {
  const present = records.filter((r) => btf.recordSize(r) !== undefined);
  const text = kernelInternalHeaderComment(source) + btfCDeclarations(btf, present);
  const dir = mkdtempSync(join(tmpdir(), 'uapi-kernel-internal-'));
  try {
    writeFileSync(join(dir, 'check.h'), text);
    const differences = collectLayouts({ includeDirs: [dir] }, 'check.h', present).flatMap((layout) =>
      layoutBtfDifferences(layout, btf),
    );
    if (differences.length > 0)
      throw new Error(
        `the ${source.version} declarations compile to another layout:\n${differences.join('\n')}`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return text;
}
