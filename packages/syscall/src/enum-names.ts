import { BpfMapType, BpfProgType, enumCNameOf } from '@progrun/uapi';

/** `'BPF_PROG_TYPE_XDP'` for 6; `'BPF_PROG_TYPE_<n>'` for values newer than the generated tables. @internal */
export function progTypeName(value: number): string {
  return enumCNameOf(BpfProgType, value) ?? `BPF_PROG_TYPE_${value}`;
}

/** `'BPF_MAP_TYPE_HASH'` for 1. @internal */
export function mapTypeName(value: number): string {
  return enumCNameOf(BpfMapType, value) ?? `BPF_MAP_TYPE_${value}`;
}
