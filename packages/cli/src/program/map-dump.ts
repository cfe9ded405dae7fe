import type { BpfObject } from '@progrun/syscall';
import { mapBytesText } from './map-assignments.js';

/** Entries shown per map: a map of a million entries is summarised, not printed. */
export const shownMapEntries = 64;

/** One map of the object after the run, for `--maps`. */
export interface MapDump {
  readonly map: string;
  /** The map type's name (HASH, ARRAY, PERCPU_ARRAY...). */
  readonly type: string;
  /** Its first entries in the kernel's iteration order, keys and values as `--map` writes them. */
  readonly entries: readonly { readonly key: string; readonly value: string }[];
  /** Entries left out after the first {@link shownMapEntries}. */
  readonly more: number;
  /** Why the map could not be read (ring buffers and other maps without lookups). */
  readonly unreadable?: string;
}

/**
 * Reads every map of a loaded object: its first {@link shownMapEntries} entries and how many more there
 * are. A map that cannot be iterated or looked up (a ring buffer, a perf event array) is named with the
 * reason instead.
 */
export function dumpMaps(object: BpfObject): MapDump[] {
  return object.maps.map((described) => {
    const base = { map: described.name, type: described.typeName.replace(/^BPF_MAP_TYPE_/, '') };
    try {
      using map = described.toMap();
      const entries: { key: string; value: string }[] = [];
      let more = 0;
      for (let key = map.nextKey(); key !== undefined; key = map.nextKey(key)) {
        if (entries.length === shownMapEntries) {
          // Arrays hold every index: their size says how many more, without a syscall per entry.
          if (/ARRAY$/.test(described.typeName) && !/OF_MAPS/.test(described.typeName)) {
            more = described.maxEntries - shownMapEntries;
            break;
          }
          more++;
          continue;
        }
        const value = map.lookup(key);
        if (value !== undefined) entries.push({ key: mapBytesText(key), value: mapBytesText(value) });
      }
      return { ...base, entries, more };
    } catch (error) {
      return { ...base, entries: [], more: 0, unreadable: (error as Error).message };
    }
  });
}
