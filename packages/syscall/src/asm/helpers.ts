// TEMPORARY until @progrun/uapi generates the helper ids.
import { BPF_FUNC_map_lookup_elem } from './opcodes.js';

/** Helper ids by name, without the `BPF_FUNC_` prefix. */
export const HELPER_IDS = { map_lookup_elem: BPF_FUNC_map_lookup_elem } as const;

/** A helper's name as in `BPF_FUNC_<name>` (e.g. `map_lookup_elem`, `xdp_adjust_head`). */
export type HelperName = keyof typeof HELPER_IDS;

const NAMES = new Map<number, string>(Object.entries(HELPER_IDS).map(([name, id]) => [id, name]));

/** The name of helper `id`, or undefined when unknown to the headers this package was generated from. */
export function helperName(id: number): string | undefined {
  return NAMES.get(id);
}
