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

/** A BTF blob of `types` (u32 words) and `strings` (NUL-separated, starting with the empty name). */
function btfBlob(types: number[], strings: string): Uint8Array {
  const typeBytes = Buffer.from(new Uint32Array(types).buffer);
  const header = Buffer.alloc(24);
  header.writeUInt16LE(0xeb9f, 0);
  header.writeUInt8(1, 2);
  header.writeUInt32LE(24, 4);
  header.writeUInt32LE(0, 8);
  header.writeUInt32LE(typeBytes.length, 12);
  header.writeUInt32LE(typeBytes.length, 16);
  header.writeUInt32LE(strings.length, 20);
  return Buffer.concat([header, typeBytes, Buffer.from(strings, 'latin1')]);
}

test("an object's data sections list their variables; ints carry their signedness", () => {
  // [1] int (signed, 32 bits), [2] unsigned char as _Bool, [3] var 'counter' (global) of [1],
  // [4] static var 'flag' of [2], [5] datasec '.data' { flag at 4, counter at 0 }.
  const strings = '\0int\0_Bool\0counter\0flag\0.data\0';
  const at = (name: string) => strings.indexOf(`\0${name}\0`) + 1;
  const blob = btfBlob(
    [
      ...[at('int'), 1 << 24, 4, (1 << 24) | 32],
      ...[at('_Bool'), 1 << 24, 1, (4 << 24) | 8],
      ...[at('counter'), 14 << 24, 1, 1],
      ...[at('flag'), 14 << 24, 2, 0],
      ...[at('.data'), (15 << 24) | 2, 8, 4, 4, 1, 3, 0, 4],
    ],
    strings,
  );
  const btf = new KernelBtf(blob);
  expect(btf.typeInfo(1)).toEqual({ kind: 'int', name: 'int', size: 4, signed: true, bool: false });
  expect(btf.typeInfo(2)).toMatchObject({ kind: 'int', signed: false, bool: true });
  expect(btf.datasecs()).toEqual([
    {
      id: 5,
      name: '.data',
      size: 8,
      variables: [
        { name: 'counter', type: 1, offset: 0, size: 4, linkage: 1 },
        { name: 'flag', type: 2, offset: 4, size: 1, linkage: 0 },
      ],
    },
  ]);
});
