import type { HeaderSetContents } from './collect-header-set.js';
import type { GenField, GenLayout } from './record-layouts.js';

/** An item with the oldest header set that has it. */
export interface Versioned<T> {
  readonly item: T;
  readonly firstHeaderSet: string;
  /** Set only when the value differs between header sets: the value in each set that has the item. */
  readonly valueBySet?: Readonly<Record<string, string>>;
}

/**
 * Merges one kind of named item across header sets (oldest first). The item kept is the newest
 * one; `firstHeaderSet` is the oldest set that has it. An item that vanishes from a newer set stops
 * generation, and so does a value that changes between sets unless `mayChange` allows it (counts
 * and all-flags masks such as BPF_TCP_MAX_STATES grow with the kernel; ABI values never move).
 */
export function mergeNamed<T extends { name: string }>(
  sets: readonly HeaderSetContents[],
  itemsOf: (contents: HeaderSetContents) => readonly T[],
  valueText: (item: T) => string,
  what: string,
  mayChange: (name: string) => boolean = () => false,
): Versioned<T>[] {
  const merged = new Map<
    string,
    { item: T; firstHeaderSet: string; lastSeen: number; values: Record<string, string> }
  >();
  sets.forEach((contents, index) => {
    const version = contents.set.version;
    for (const item of itemsOf(contents)) {
      const seen = merged.get(item.name);
      if (!seen) {
        merged.set(item.name, {
          item,
          firstHeaderSet: version,
          lastSeen: index,
          values: { [version]: valueText(item) },
        });
        continue;
      }
      if (valueText(seen.item) !== valueText(item) && !mayChange(item.name)) {
        throw new Error(
          `${what} ${item.name} is ${valueText(seen.item)} before ${version} and ${valueText(item)} in it`,
        );
      }
      merged.set(item.name, {
        ...seen,
        item,
        lastSeen: index,
        values: { ...seen.values, [version]: valueText(item) },
      });
    }
  });
  const last = sets.length - 1;
  for (const [name, entry] of merged) {
    if (entry.lastSeen !== last) {
      throw new Error(`${what} ${name} disappears after ${sets[entry.lastSeen]?.set.version}`);
    }
  }
  return [...merged.values()].map(({ item, firstHeaderSet, values }) =>
    new Set(Object.values(values)).size > 1
      ? { item, firstHeaderSet, valueBySet: values }
      : { item, firstHeaderSet },
  );
}

function sameField(a: GenField, b: GenField): boolean {
  return a.offset === b.offset && a.bitOffset === b.bitOffset && a.cType === b.cType;
}

/**
 * Stamps `firstHeaderSet` on each field (recursively): the oldest set, in an unbroken run up to this one,
 * whose layout of the same name has a field of that name, C type and offset. A field whose type
 * changed (`bpf_sk_lookup.remote_port`, `__u32` before 6.1, `__be16` from 6.1) is new from the change.
 */
function stampFields(
  fields: GenField[],
  history: readonly (readonly GenField[] | undefined)[],
  versions: string[],
): void {
  for (const field of fields) {
    let first = versions.at(-1) ?? '';
    const olderFields: (readonly GenField[] | undefined)[] = [];
    for (let i = history.length - 1; i >= 0; i--) {
      const older = history[i]?.find((f) => f.name === field.name);
      if (!older || !sameField(older, field)) break;
      first = versions[i] ?? first;
      olderFields.unshift(older.type.kind === 'record' ? older.type.layout.fields : undefined);
    }
    field.firstHeaderSet = first;
    if (field.type.kind === 'record') {
      const nested = field.type.layout;
      nested.firstHeaderSet = first;
      const padded = [...Array(history.length - olderFields.length).fill(undefined), ...olderFields];
      stampFields(nested.fields, padded, versions);
    }
  }
}

/** The layouts of one version: a header set, or a kernel line's kernel-internal records. */
export interface VersionLayouts {
  readonly set: { readonly version: string };
  readonly layouts: readonly GenLayout[];
}

/** Layouts per version (oldest first), with `firstHeaderSet` on every layout and field. */
export function mergeLayouts(sets: readonly VersionLayouts[]): Map<string, GenLayout[]> {
  const result = new Map<string, GenLayout[]>();
  const versions = sets.map((s) => s.set.version);
  sets.forEach((contents, index) => {
    const layouts = contents.layouts.map((l) => structuredClone(l));
    for (const layout of layouts) {
      const history = sets
        .slice(0, index)
        .map((older) => older.layouts.find((l) => l.name === layout.name)?.fields);
      const firstIndex = history.findIndex((h) => h !== undefined);
      layout.firstHeaderSet = versions[firstIndex === -1 ? index : firstIndex];
      stampFields(layout.fields, history, versions.slice(0, index + 1));
    }
    result.set(contents.set.version, layouts);
  });
  return result;
}
