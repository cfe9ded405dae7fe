import { uapiEnums } from '../../src/enum-lookup.js';
import { uapiConstants } from '../../src/generated/constants.js';
import { errnoInfo } from '../../src/generated/errno.js';
import { layoutsByVersion } from '../../src/generated/layouts.js';
import type { HeaderVersion } from '../../src/header-version.js';
import { compareKernelVersions } from '../../src/kernel-version.js';
import type { FieldLayout, FieldType, StructLayout } from '../../src/layout-types.js';

/** A C source asserting the package's data for one header set against the real headers. */
export interface AssertionSource {
  readonly source: string;
  /** How many compile-time assertions the source makes. */
  readonly staticAsserts: number;
  /** How many bitfields `main` checks at run time (bit positions cannot be asserted statically). */
  readonly runtimeChecks: number;
}

const inSet = (first: string, version: HeaderVersion) => compareKernelVersions(first, version) <= 0;

function cInteger(value: number | bigint): string {
  const big = BigInt(value);
  return big < 0n ? `(${big}LL)` : `${big}ULL`;
}

class AssertionWriter {
  readonly lines: string[] = [];
  readonly bitfieldFunctions: string[] = [];
  staticAsserts = 0;

  assert(condition: string, message: string): void {
    this.lines.push(`_Static_assert(${condition}, ${JSON.stringify(message)});`);
    this.staticAsserts++;
  }

  /** Assertions for the fields of `layout`, reached in C as `(T).prefix<field>`, at `base` in T. */
  fields(cType: string, prefix: string, base: number, layout: StructLayout): void {
    for (const field of layout.fields) this.field(cType, prefix, base, layout, field);
  }

  private field(cType: string, prefix: string, base: number, layout: StructLayout, field: FieldLayout): void {
    const path = `${prefix}${field.name}`;
    const label = `${layout.name}.${field.name}`;
    const member = `((${cType} *)0)->${path}`;
    if (field.bitWidth !== undefined) {
      this.bitfield(cType, path, base + field.offset, field, label);
      return;
    }
    this.assert(`offsetof(${cType}, ${path}) == ${base + field.offset}`, `offset of ${label}`);
    this.assert(`sizeof(${member}) == ${field.size}`, `size of ${label}`);
    this.typeChecks(member, field.type, label);
    if (field.type.kind === 'record') this.fields(cType, `${path}.`, base + field.offset, field.type.layout);
  }

  private typeChecks(expression: string, type: FieldType, label: string): void {
    if (type.kind === 'int') {
      this.assert(
        `(((__typeof__(${expression}))-1) < 0) == ${type.signed ? 1 : 0}`,
        `signedness of ${label}`,
      );
    } else if (type.kind === 'array' || type.kind === 'chars') {
      const length = type.length;
      this.assert(`sizeof(${expression}) == ${length} * sizeof((${expression})[0])`, `length of ${label}`);
      if (type.kind === 'array') this.typeChecks(`(${expression})[0]`, type.element, `${label}[0]`);
    } else if (type.kind === 'record') {
      this.assert(`_Alignof(__typeof__(${expression})) == ${type.layout.align}`, `alignment of ${label}`);
    }
  }

  /** A run-time check: setting every bit of the field sets exactly the bits the layout says. */
  private bitfield(cType: string, path: string, offset: number, field: FieldLayout, label: string): void {
    const width = field.bitWidth ?? 0;
    const all = width === 64 ? '~0ULL' : `((1ULL << ${width}) - 1)`;
    const expected: string[] = [];
    for (let bit = 0; bit < width; bit++) {
      const absolute = offset * 8 + (field.bitOffset ?? 0) + bit;
      expected.push(`e[${absolute >> 3}] |= (unsigned char)(1u << ${absolute & 7});`);
    }
    const name = `check_${this.bitfieldFunctions.length}`;
    this.bitfieldFunctions.push(
      [
        `static int ${name}(void) {`,
        `  ${cType} v;`,
        `  unsigned char e[sizeof(${cType})];`,
        `  memset(&v, 0, sizeof v);`,
        `  memset(e, 0, sizeof e);`,
        `  v.${path} = ${all};`,
        `  ${expected.join('\n  ')}`,
        `  if (memcmp(&v, e, sizeof e) != 0) { fprintf(stderr, "bitfield ${label} is not at the emitted bits\\n"); return 1; }`,
        `  return 0;`,
        `}`,
      ].join('\n'),
    );
  }
}

function layoutAssertions(writer: AssertionWriter, layout: StructLayout): void {
  if (!layout.container) {
    writer.assert(`sizeof(${layout.cName}) == ${layout.size}`, `sizeof ${layout.cName}`);
    writer.assert(`_Alignof(${layout.cName}) == ${layout.align}`, `_Alignof ${layout.cName}`);
    writer.fields(layout.cName, '', 0, layout);
    return;
  }
  const { cName, member } = layout.container;
  if (member !== null) {
    const expression = `((${cName} *)0)->${member}`;
    writer.assert(`sizeof(${expression}) == ${layout.size}`, `sizeof ${layout.name}`);
    writer.assert(`_Alignof(__typeof__(${expression})) == ${layout.align}`, `_Alignof ${layout.name}`);
    writer.assert(`offsetof(${cName}, ${member}) == 0`, `offset of ${layout.name}`);
    writer.fields(cName, `${member}.`, 0, layout);
  } else {
    // An anonymous member's type cannot be named in C; its fields are reached through the union.
    writer.fields(cName, '', 0, layout);
  }
}

/**
 * The C source that checks, for one header set, every emitted layout (sizes, alignments, field
 * offsets, sizes, signedness, array lengths, bitfield positions), every enum member and constant
 * value present in that set, and every UAPI errno.
 */
export function layoutAssertionsC(version: HeaderVersion): AssertionSource {
  const writer = new AssertionWriter();
  for (const layout of Object.values(layoutsByVersion[version]) as StructLayout[])
    layoutAssertions(writer, layout);
  for (const e of Object.values(uapiEnums)) {
    for (const [key, first] of Object.entries(e.firstHeaderSet)) {
      if (inSet(first, version))
        writer.assert(
          `${e.prefix}${key} == ${(e.values as Record<string, number>)[key]}`,
          `${e.prefix}${key}`,
        );
    }
  }
  for (const [name, c] of Object.entries(uapiConstants)) {
    if (!inSet(c.firstHeaderSet, version)) continue;
    const value = 'valueBySet' in c ? (c.valueBySet as Record<string, number>)[version] : c.value;
    if (value !== undefined) writer.assert(`(${name}) == ${cInteger(value)}`, name);
  }
  for (const [name, e] of Object.entries(errnoInfo)) {
    if (!e.internal && inSet(e.firstHeaderSet, version)) writer.assert(`${name} == ${e.errno}`, name);
  }
  const calls = writer.bitfieldFunctions.map((_, i) => `  failures += check_${i}();`);
  const source = [
    `/* Checks @progrun/uapi's data for the ${version} header set against the real headers. */`,
    '#include <linux/bpf.h>',
    '#include <linux/bpf_common.h>',
    '#include <linux/errno.h>',
    '#include <linux/pkt_cls.h>',
    '#include <stddef.h>',
    '#include <stdio.h>',
    '#include <string.h>',
    '',
    ...writer.lines,
    '',
    ...writer.bitfieldFunctions,
    '',
    'int main(void) {',
    '  int failures = 0;',
    ...calls,
    `  printf("%d\\n", ${writer.bitfieldFunctions.length} - failures);`,
    '  return failures != 0;',
    '}',
    '',
  ].join('\n');
  return { source, staticAsserts: writer.staticAsserts, runtimeChecks: writer.bitfieldFunctions.length };
}
