import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { describe, expect, test } from 'vitest';
import { btfCDeclarations } from '../generator/btf-c-declarations.js';
import { HEADER_SETS } from '../generator/header-sets.js';
import { fetchKernelImageBtf } from '../generator/kernel-image-btf.js';
import { kernelInternalHeader } from '../generator/kernel-internal-header.js';
import { readKernelInternalInputs } from '../generator/kernel-internal-inputs.js';
import { KERNEL_INTERNAL_RECORDS, kernelInternalHeaderPath } from '../generator/kernel-internal-records.js';
import { layoutBtfDifferences } from '../generator/layout-btf-differences.js';
import { elfSection, vmlinuxOfBzImage } from '../generator/vmlinuz-btf.js';
import { headerVersions } from '../src/header-version.js';
import { decode, encode } from '../src/index.js';
import { KernelBtf } from '../src/kernel-btf.js';
import {
  kernelInternalLayouts,
  kernelInternalLayoutsByVersion,
} from '../src/kernel-internal-layout-lookup.js';
import { compareKernelVersions } from '../src/kernel-version.js';
import { fieldOf } from '../src/layout-lookup.js';
import type { StructLayout } from '../src/layout-types.js';

const VMLINUX = '/sys/kernel/btf/vmlinux';
const hasBtf = existsSync(VMLINUX);
/** The newest kernel line not newer than the running kernel: its Debian kernel is the nearest. */
const nearest = headerVersions.filter((v) => compareKernelVersions(release(), v) >= 0).at(-1);

function layoutsOf(version: string): StructLayout[] {
  return Object.values(
    kernelInternalLayoutsByVersion[version as keyof typeof kernelInternalLayoutsByVersion],
  ) as StructLayout[];
}

/** The source line of a committed header, which moves when Debian publishes a new kernel. */
const SOURCE_LINE = /^ \* {3}linux-image-.*$/m;

describe('the committed kernel-internal headers', () => {
  test('name the image package each was written from, for every kernel line', () => {
    const inputs = readKernelInternalInputs();
    expect(inputs.map((i) => [i.version, i.suite])).toEqual(HEADER_SETS.map((s) => [s.version, s.suite]));
    for (const input of inputs) {
      expect(input.packageName).toMatch(/^linux-image-\S+-amd64$/);
      expect(input.packageVersion.startsWith(`${input.version}.`)).toBe(true);
      expect(input.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  // Downloads each suite's kernel image (once; cached beside the UAPI headers) as the refresh does.
  test.each(HEADER_SETS.map((s) => s.version))(
    'are what the refresh writes from the %s kernel, whose BTF lays each record out as generated',
    { tags: ['slow'], timeout: 600_000 },
    (version) => {
      const { source, btf } = fetchKernelImageBtf(version);
      const committed = readFileSync(kernelInternalHeaderPath(version), 'utf8');
      const refreshed = kernelInternalHeader(source, btf);
      if (committed.includes(source.sha256)) expect(refreshed).toBe(committed);
      else expect(refreshed.replace(SOURCE_LINE, '')).toBe(committed.replace(SOURCE_LINE, ''));
      const layouts = layoutsOf(version);
      expect(layouts.map((l) => l.cName)).toEqual(
        KERNEL_INTERNAL_RECORDS.filter((r) => btf.recordSize(r) !== undefined),
      );
      for (const layout of layouts) expect(layoutBtfDifferences(layout, btf), layout.cName).toEqual([]);
    },
  );
});

describe.skipIf(!hasBtf || !nearest)(
  `the running kernel's BTF (${release()}, needs CONFIG_DEBUG_INFO_BTF and Linux 5.10+)`,
  () => {
    const btf = hasBtf ? KernelBtf.read(VMLINUX) : undefined;

    test(`lays the kernel-internal records out as the nearest kernel line (${nearest}) does`, () => {
      const layouts = layoutsOf(nearest!);
      expect(layouts.length).toBeGreaterThan(0);
      for (const layout of layouts) expect(layoutBtfDifferences(layout, btf!), layout.cName).toEqual([]);
    });

    test('gives declarations that compile to its own layout of every kernel-internal record', () => {
      const present = KERNEL_INTERNAL_RECORDS.filter((r) => btf!.recordSize(r) !== undefined);
      const header = kernelInternalHeader(
        {
          version: nearest!,
          suite: 'host',
          packageName: 'host',
          packageVersion: release(),
          sha256: '0'.repeat(64),
        },
        btf!,
      );
      for (const record of present) expect(header).toContain(`${record} {`);
    });
  },
);

describe('the layouts', () => {
  test('have the shape of the UAPI layouts: fieldOf, encode and decode take them', () => {
    const state = kernelInternalLayouts.nf_hook_state;
    expect(fieldOf(state, 'pf').firstHeaderSet).toBe('6.1');
    expect(fieldOf(state, 'okfn').type).toEqual({ kind: 'pointer', size: 8 });
    const bytes = encode(state, { hook: 1, pf: 10 });
    expect(bytes.length).toBe(state.size);
    expect(decode(state, bytes)).toMatchObject({ hook: 1, pf: 10, in: 0n, okfn: 0n });
    expect(kernelInternalLayoutsByVersion['5.10'].nf_hook_state.fields[0]).toMatchObject({
      name: 'hook',
      cType: 'unsigned int',
      size: 4,
    });
    expect(kernelInternalLayouts.bpf_nf_ctx.firstHeaderSet).toBe('6.12');
  });
});

/** BTF bytes holding `int`, `char` and `struct packed_pair { char a; int b; }` with b at byte 1. */
function packedPairBtf(): KernelBtf {
  const strings = Buffer.from('\0int\0char\0packed_pair\0a\0b\0', 'latin1');
  const name = (s: string) => strings.indexOf(`\0${s}\0`) + 1;
  // Each row: a btf_type (name, info, size) and its trailer.
  const rows = [
    [name('int'), 1 << 24, 4, (1 << 24) | 32], // [1] int: signed, 32 bits
    [name('char'), 1 << 24, 1, 8], // [2] char: 8 bits
    [name('packed_pair'), (4 << 24) | 2, 5], // [3] struct packed_pair, 5 bytes, 2 members
    [name('a'), 2, 0], // a: char at bit 0
    [name('b'), 1, 8], // b: int at bit 8
  ];
  const u32s = rows.flat();
  const types = Buffer.alloc(u32s.length * 4);
  for (const [i, v] of u32s.entries()) types.writeUInt32LE(v, i * 4);
  const header = Buffer.alloc(24);
  header.writeUInt16LE(0xeb9f, 0);
  header[2] = 1;
  header.writeUInt32LE(24, 4);
  header.writeUInt32LE(0, 8);
  header.writeUInt32LE(types.length, 12);
  header.writeUInt32LE(types.length, 16);
  header.writeUInt32LE(strings.length, 20);
  return new KernelBtf(Buffer.concat([header, types, strings]));
}

describe('the refresh', () => {
  test('writes C declarations of a record from BTF', () => {
    expect(btfCDeclarations(packedPairBtf(), ['struct packed_pair'])).toBe(
      'struct packed_pair {\n\tchar a;\n\tint b;\n};\n\n',
    );
  });

  test('refuses declarations that compile to another layout than the BTF says (packing BTF does not record)', () => {
    const source = {
      version: '6.12',
      suite: 'test',
      packageName: 'test',
      packageVersion: '0',
      sha256: '0'.repeat(64),
    } as const;
    expect(() => kernelInternalHeader(source, packedPairBtf(), ['struct packed_pair'])).toThrow(
      'the 6.12 declarations compile to another layout:\nstruct packed_pair: size 8, BTF 5\nstruct packed_pair b: bits 32+32, BTF 8+32',
    );
  });

  test('reads only x86 bzImages and ELF64 files', () => {
    expect(() => vmlinuxOfBzImage(new Uint8Array(1024))).toThrow(/not an x86 bzImage/);
    expect(() => elfSection(Buffer.alloc(64), '.BTF')).toThrow(/not a little-endian ELF64/);
  });
});
