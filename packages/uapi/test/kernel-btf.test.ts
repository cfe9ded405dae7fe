import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { describe, expect, test } from 'vitest';
import { uapiEnums } from '../src/enum-lookup.js';
import { UapiLookupError } from '../src/errors/uapi-lookup-error.js';
import { layoutsByVersion } from '../src/generated/layouts.js';
import { latestHeaderVersion } from '../src/header-version.js';
import { KernelBtf } from '../src/kernel-btf.js';
import { compareKernelVersions } from '../src/kernel-version.js';
import type { StructLayout } from '../src/layout-types.js';

const VMLINUX = '/sys/kernel/btf/vmlinux';
const hasBtf = existsSync(VMLINUX);
const newerThanHeaders = compareKernelVersions(release(), latestHeaderVersion) >= 0;

/**
 * The package's fields as absolute bit ranges, with the same dotted paths KernelBtf uses. Nested
 * records may have grown in a newer kernel (bpf_link_info.raw_tracepoint gained a cookie), so
 * their size is a minimum.
 */
function expectedFields(
  layout: StructLayout,
  prefix: string,
  base: number,
): Map<string, [number, number, boolean]> {
  const fields = new Map<string, [number, number, boolean]>();
  for (const f of layout.fields) {
    const start = base + f.offset * 8 + (f.bitOffset ?? 0);
    fields.set(`${prefix}${f.name}`, [start, f.bitWidth ?? f.size * 8, f.type.kind === 'record']);
    if (f.type.kind === 'record') {
      for (const [k, v] of expectedFields(f.type.layout, `${prefix}${f.name}.`, base + f.offset * 8))
        fields.set(k, v);
    }
  }
  return fields;
}

describe.skipIf(!hasBtf)(`the running kernel's BTF (${release()}, needs CONFIG_DEBUG_INFO_BTF)`, () => {
  const btf = hasBtf ? KernelBtf.read(VMLINUX) : undefined;

  test("finds records and functions by name: their ids, and a record's own members", () => {
    const dummyOps = btf!.typeId('struct', 'bpf_dummy_ops');
    const fentry = btf!.typeId('func', 'bpf_fentry_test1');
    expect(dummyOps).toBeGreaterThan(0);
    expect(fentry).toBeGreaterThan(0);
    expect(dummyOps).not.toBe(fentry);
    expect(btf!.typeId('func', 'bpf_dummy_ops')).toBeUndefined();
    expect(btf!.typeId('struct', 'bpf_fentry_test1')).toBeUndefined();
    expect(btf!.memberNames('struct bpf_dummy_ops')!.slice(0, 2)).toEqual(['test_1', 'test_2']);
    expect(btf!.memberNames('struct xdp_md')!.slice(0, 5)).toEqual([
      'data',
      'data_end',
      'data_meta',
      'ingress_ifindex',
      'rx_queue_index',
    ]);
    expect(btf!.memberNames('struct no_such_record')).toBeUndefined();
  });

  test('has every enum member of the newest headers, with the same values', () => {
    let checked = 0;
    let total = 0;
    for (const e of Object.values(uapiEnums)) {
      // #define families (TC_ACT_*) are macros: BTF knows only enums.
      if (!e.cName.startsWith('enum ')) continue;
      for (const [key, value] of Object.entries(e.values as Record<string, number>)) {
        const name = `${e.prefix}${key}`;
        const kernel = btf!.enumValue(name);
        total++;
        if (newerThanHeaders) expect(kernel, `${name} in the running kernel`).toBeDefined();
        if (kernel !== undefined) {
          expect(kernel, name).toBe(BigInt(value));
          checked++;
        }
      }
    }
    expect(checked).toBe(newerThanHeaders ? total : checked);
    expect(checked).toBeGreaterThan(300);
  });

  test('lays out every record the package describes as the newest headers do (common fields)', () => {
    const layouts = layoutsByVersion[latestHeaderVersion] as Record<string, StructLayout>;
    let checked = 0;
    for (const layout of Object.values(layouts)) {
      if (layout.container && layout.container.member === null) continue; // covered by union bpf_attr
      const cType = layout.container ? layout.container.cName : layout.cName;
      const prefix = layout.container?.member ? `${layout.container.member}.` : '';
      const kernel = btf!.recordFields(cType);
      if (!kernel) continue; // records the kernel never uses itself are not in its BTF
      const byPath = new Map(kernel.map((f) => [f.path, [f.bitOffset, f.bitSize]]));
      for (const [path, [start, bits, grows]] of expectedFields(layout, prefix, 0)) {
        const found = byPath.get(path);
        expect(found?.[0], `offset of ${cType} ${path}`).toBe(start);
        if (grows) expect(found?.[1], `size of ${cType} ${path}`).toBeGreaterThanOrEqual(bits);
        else expect(found?.[1], `size of ${cType} ${path}`).toBe(bits);
        checked++;
      }
      if (!layout.container) expect(btf!.recordSize(cType)).toBeGreaterThanOrEqual(layout.size);
    }
    expect(checked).toBeGreaterThan(500);
  });

  test('answers which items this kernel has', () => {
    expect(btf!.hasEnumValue('BPF_PROG_TYPE_XDP')).toBe(true);
    expect(btf!.enumMembers('xdp_action')?.get('XDP_TX')).toBe(3n);
    expect(btf!.enumValue('BPF_F_CTXLEN_MASK')).toBe(0xfffffn << 32n); // an ENUM64 on 6.0+ kernels
    expect(btf!.hasEnumValue('BPF_NOT_A_THING')).toBe(false);
    expect(btf!.recordFields('struct no_such_record')).toBeUndefined();
  });
});

test('bytes that are not BTF are a UapiLookupError', () => {
  expect(() => new KernelBtf(new Uint8Array(32))).toThrow(UapiLookupError);
  if (hasBtf) {
    const truncated = readFileSync(VMLINUX).subarray(0, 4096);
    expect(() => new KernelBtf(truncated)).toThrow();
  }
});
