import { BpfFunc, type BpfFuncName, ValidationError } from '@progrun/uapi';

/** A helper's name as in `BPF_FUNC_<name>` (e.g. `map_lookup_elem`, `xdp_adjust_head`). */
export type HelperName = Exclude<BpfFuncName, 'unspec'>;

const NAMES = new Map<number, string>(Object.entries(BpfFunc).map(([name, id]) => [id, name]));

/**
 * The id of helper `name` (`BPF_FUNC_<name>`), or undefined when the generated headers lack it.
 * @throws {ValidationError} when `name` is not a string.
 */
export function helperId(name: string): number | undefined {
  if (typeof name !== 'string') throw new ValidationError('name', 'a string', { received: name });
  return name !== 'unspec' && Object.hasOwn(BpfFunc, name) ? BpfFunc[name as HelperName] : undefined;
}

/** The name of helper `id`, or undefined when unknown to the headers the constants were generated from. */
export function helperName(id: number): string | undefined {
  return id === 0 ? undefined : NAMES.get(id);
}
