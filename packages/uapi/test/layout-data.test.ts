import { describe, expect, test } from 'vitest';
import { uapiEnums } from '../src/enum-lookup.js';
import { uapiConstants } from '../src/generated/constants.js';
import { errnoInfo } from '../src/generated/errno.js';
import { layoutsByVersion } from '../src/generated/layouts.js';
import { headerVersions } from '../src/header-version.js';
import { compareKernelVersions } from '../src/kernel-version.js';
import type { StructLayout } from '../src/layout-types.js';

/** The layout data without nested layouts' own names (`bpf_attr.test.x` vs `bpf_attr_test.x`). */
function unnamed(value: unknown): string {
  return JSON.stringify(value, (key, v) =>
    key === 'name' && typeof v === 'string' && v.includes('.') ? undefined : v,
  );
}

function checkLayout(layout: StructLayout, version: string): void {
  expect(compareKernelVersions(layout.firstHeaderSet, version)).toBeLessThanOrEqual(0);
  for (const field of layout.fields) {
    expect(
      field.offset + field.size,
      `${layout.name}.${field.name} ends inside the record`,
    ).toBeLessThanOrEqual(layout.size);
    expect(compareKernelVersions(field.firstHeaderSet, version)).toBeLessThanOrEqual(0);
    expect(compareKernelVersions(field.firstHeaderSet, layout.firstHeaderSet)).toBeGreaterThanOrEqual(0);
    if (field.type.kind === 'record') {
      expect(field.type.layout.size).toBe(field.size);
      checkLayout(field.type.layout, version);
    }
    if (field.bitWidth !== undefined) {
      expect((field.bitOffset ?? 0) + field.bitWidth).toBeLessThanOrEqual(field.size * 8);
    }
  }
}

describe.each(headerVersions)('the %s layouts', (version) => {
  const all = layoutsByVersion[version] as Record<string, StructLayout>;

  test('every field lies inside its record and is not newer than the set', () => {
    for (const layout of Object.values(all)) checkLayout(layout, version);
  });

  test('each union bpf_attr member is a view of the union at offset 0', () => {
    const union = all.bpf_attr!;
    const members = Object.values(all).filter((l) => l.container?.cName === 'union bpf_attr');
    expect(members.length).toBeGreaterThanOrEqual(19);
    for (const member of members) {
      expect(member.size).toBeLessThanOrEqual(union.size);
      if (member.container?.member) {
        const field = union.fields.find((f) => f.name === member.container?.member);
        expect(unnamed(field?.type.kind === 'record' && field.type.layout.fields)).toBe(
          unnamed(member.fields),
        );
      } else {
        for (const f of member.fields)
          expect(unnamed(union.fields.find((u) => u.name === f.name))).toBe(unnamed(f));
      }
    }
  });

  test('the records the issue lists are all there', () => {
    for (const name of [
      'bpf_attr_prog_load',
      'bpf_attr_test',
      'bpf_attr_map_create',
      'bpf_attr_map_elem',
      'bpf_attr_batch',
      'bpf_attr_obj',
      'bpf_attr_info',
      'bpf_attr_get_id',
      'bpf_attr_link_create',
      'bpf_attr_enable_stats',
      'bpf_attr_raw_tracepoint',
      'bpf_insn',
      'xdp_md',
      '__sk_buff',
      'bpf_flow_keys',
      'bpf_sk_lookup',
      'bpf_sock_ops',
      'bpf_prog_info',
    ]) {
      expect(all[name], name).toBeDefined();
    }
  });
});

test('item counts grow with every header set', () => {
  const count = (version: string) => {
    const present = (first: string) => compareKernelVersions(first, version) <= 0;
    const enums = Object.values(uapiEnums).reduce(
      (n, e) => n + Object.values(e.firstHeaderSet as Record<string, string>).filter(present).length,
      0,
    );
    const constants = Object.values(uapiConstants).filter((c) => present(c.firstHeaderSet)).length;
    const errnos = Object.values(errnoInfo).filter((e) => present(e.firstHeaderSet)).length;
    return enums + constants + errnos;
  };
  const counts = headerVersions.map(count);
  expect(counts[0]).toBeLessThan(counts[1]!);
  expect(counts[1]).toBeLessThan(counts[2]!);
});
