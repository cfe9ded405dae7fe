import { decode, layouts } from '@progrun/uapi';
import { bpfObjGetInfoByFd } from './commands/obj-get-info-by-fd.js';

/** What the kernel reports about a map (BPF_OBJ_GET_INFO_BY_FD). */
export interface MapInfo {
  /** `enum bpf_map_type` value. */
  readonly type: number;
  readonly id: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly name: string;
  /** Kernel id of the BTF describing key and value; 0 without BTF (Linux 4.18+). */
  readonly btfId: number;
  /** BTF type ids of key and value in that BTF; 0 when not described. */
  readonly btfKeyTypeId: number;
  readonly btfValueTypeId: number;
  readonly mapExtra: bigint;
}

/**
 * Reads the bpf_map_info of the map behind `fd`.
 * @throws {BpfError} from BPF_OBJ_GET_INFO_BY_FD.
 * @internal
 */
export function readMapInfo(fd: number): MapInfo {
  const buffer = Buffer.alloc(layouts.bpf_map_info.size);
  bpfObjGetInfoByFd(fd, buffer);
  const info = decode(layouts.bpf_map_info, buffer);
  return {
    type: info.type,
    id: info.id,
    keySize: info.key_size,
    valueSize: info.value_size,
    maxEntries: info.max_entries,
    flags: info.map_flags,
    name: info.name,
    btfId: info.btf_id,
    btfKeyTypeId: info.btf_key_type_id,
    btfValueTypeId: info.btf_value_type_id,
    mapExtra: info.map_extra,
  };
}
