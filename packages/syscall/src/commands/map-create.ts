import { callMapCreate } from '../generated/native-calls.js';
import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

/** The fields of `union bpf_attr` BPF_MAP_CREATE takes. */
export interface MapCreateAttr {
  /** `enum bpf_map_type` value. */
  readonly mapType: number;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  /** BPF_F_* map flags. Default 0. */
  readonly mapFlags?: number;
  /** At most 15 bytes (Linux 4.15+). */
  readonly name?: string;
  /** Template inner map, for ARRAY_OF_MAPS / HASH_OF_MAPS. */
  readonly innerMapFd?: number;
  /** NUMA node, with BPF_F_NUMA_NODE. */
  readonly numaNode?: number;
  readonly mapIfindex?: number;
  /** BTF object describing key and value (Linux 4.18+). */
  readonly btfFd?: number;
  readonly btfKeyTypeId?: number;
  readonly btfValueTypeId?: number;
  /** For STRUCT_OPS maps (Linux 5.6+). */
  readonly btfVmlinuxValueTypeId?: number;
  /** Type-specific (bloom filter hash count, arena address; Linux 5.16+). */
  readonly mapExtra?: bigint | number;
}

/**
 * BPF_MAP_CREATE: creates a map, returning its fd. The caller owns the fd.
 *
 * Minimum kernel: 3.18; see each field.
 * @throws {ValidationError} for a field of the wrong type or range.
 * @throws {BpfError} with the kernel's errno (EINVAL for sizes the map type rejects, EPERM, ENOMEM, ...).
 */
export function bpfMapCreate(attr: MapCreateAttr): number {
  v.attr('attr', attr);
  return checkResult(
    callMapCreate(native.mapCreate, {
      mapType: v.u32('attr.mapType', attr.mapType),
      keySize: v.u32('attr.keySize', attr.keySize),
      valueSize: v.u32('attr.valueSize', attr.valueSize),
      maxEntries: v.u32('attr.maxEntries', attr.maxEntries),
      mapFlags: v.optionalU32('attr.mapFlags', attr.mapFlags),
      name: attr.name === undefined ? null : v.string('attr.name', attr.name, 15),
      innerMapFd: attr.innerMapFd === undefined ? 0 : v.fd('attr.innerMapFd', attr.innerMapFd),
      numaNode: v.optionalU32('attr.numaNode', attr.numaNode),
      mapIfindex: v.optionalU32('attr.mapIfindex', attr.mapIfindex),
      btfFd: attr.btfFd === undefined ? 0 : v.fd('attr.btfFd', attr.btfFd),
      btfKeyTypeId: v.optionalU32('attr.btfKeyTypeId', attr.btfKeyTypeId),
      btfValueTypeId: v.optionalU32('attr.btfValueTypeId', attr.btfValueTypeId),
      btfVmlinuxValueTypeId: v.optionalU32('attr.btfVmlinuxValueTypeId', attr.btfVmlinuxValueTypeId),
      mapExtra: v.optionalU64('attr.mapExtra', attr.mapExtra),
    }),
    'BPF_MAP_CREATE',
  );
}
