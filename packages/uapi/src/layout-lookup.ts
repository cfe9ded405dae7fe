import { describeValue } from './arguments/describe-value.js';
import { UapiLookupError } from './errors/uapi-lookup-error.js';
import { layoutsByVersion } from './generated/layouts.js';
import { type HeaderVersion, headerVersions, latestHeaderVersion } from './header-version.js';
import { layoutArgument } from './layout-argument.js';
import type { FieldLayout, StructLayout } from './layout-types.js';

export { layoutsByVersion };

/**
 * The layouts of the newest header set, by name: `layouts.xdp_md`, `layouts.__sk_buff`,
 * `layouts.bpf_insn`, `layouts.bpf_attr_test` (the PROG_TEST_RUN member of union bpf_attr),
 * `layouts.bpf_attr_prog_load` (anonymous members are named after their command)...
 * Fields carry `firstHeaderSet`, the oldest header set that has them.
 */
export const layouts: (typeof layoutsByVersion)[typeof latestHeaderVersion] =
  layoutsByVersion[latestHeaderVersion];

/** The name of a layout of the newest header set. */
export type LayoutName = keyof typeof layouts;

/**
 * One record's layout as a given header set has it (default: the newest).
 * @throws {UapiLookupError} when the header set does not have the record (e.g. `bpf_attr_token_create` in 5.10),
 *   the name is not a layout's or the version is not a header set.
 */
export function layoutFor(name: LayoutName, version: HeaderVersion = latestHeaderVersion): StructLayout {
  if (!headerVersions.includes(version)) {
    throw new UapiLookupError(
      `header set ${describeValue(version)}`,
      `not one of ${headerVersions.join(', ')}`,
    );
  }
  const set = layoutsByVersion[version] as Record<string, StructLayout>;
  if (typeof name !== 'string' || !Object.hasOwn(layouts, name))
    throw new UapiLookupError(`layout ${describeValue(name)}`, 'not a layout of the generated headers');
  if (!Object.hasOwn(set, name)) {
    throw new UapiLookupError(
      `layout ${name} in ${version}`,
      `first in header set ${layouts[name].firstHeaderSet}`,
    );
  }
  return set[name] as StructLayout;
}

/**
 * sizeof the record in a header set (default: the newest): `sizeOf('bpf_attr_test', '5.10') === 72`.
 * @throws {UapiLookupError} as {@link layoutFor}.
 */
export function sizeOf(name: LayoutName, version: HeaderVersion = latestHeaderVersion): number {
  return layoutFor(name, version).size;
}

const fieldMaps = new WeakMap<StructLayout, Map<string, FieldLayout>>();

/**
 * The fields of a layout by name (cached).
 * @throws {ValidationError} when `layout` is not one of the generated layouts.
 */
export function fieldMap(layout: StructLayout): ReadonlyMap<string, FieldLayout> {
  layoutArgument('layout', layout);
  let map = fieldMaps.get(layout);
  if (!map) {
    map = new Map(layout.fields.map((f) => [f.name, f]));
    fieldMaps.set(layout, map);
  }
  return map;
}

/**
 * One field of a layout: `fieldOf(layouts.bpf_attr_test, 'batch_size').firstHeaderSet === '6.1'`.
 * @throws {UapiLookupError} when the layout has no such field.
 * @throws {ValidationError} when `layout` is not one of the generated layouts.
 */
export function fieldOf<L extends StructLayout>(layout: L, name: L['fields'][number]['name']): FieldLayout {
  const field = fieldMap(layout).get(name);
  if (!field)
    throw new UapiLookupError(
      `field ${layout.name}.${typeof name === 'string' ? name : describeValue(name)}`,
      `not a field of ${layout.cName}`,
    );
  return field;
}

/**
 * The end of a field (offset + size), as libbpf's `offsetofend`: the size of the prefix of
 * `union bpf_attr` a command needs when this is the last field it uses, so older kernels, which
 * reject non-zero bytes they do not know, accept the call.
 * @throws {UapiLookupError} when the layout has no such field.
 * @throws {ValidationError} when `layout` is not one of the generated layouts.
 */
export function offsetOfEnd<L extends StructLayout>(layout: L, name: L['fields'][number]['name']): number {
  const field = fieldOf(layout, name);
  return field.offset + field.size;
}
