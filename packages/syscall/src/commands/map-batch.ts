import { Errno } from '@progrun/uapi';
import { callMapBatch, type NativeMapBatch } from '../generated/native-calls.js';
import { native } from '../native.js';
import * as v from '../validate.js';
import { checkResult } from './check-result.js';

/** Arguments of the batch commands. Buffers are checked against the map's own sizes. */
export interface MapBatchAttr {
  readonly mapFd: number;
  /** Opaque position to resume from (null: from the start). Lookup commands only. */
  readonly inBatch?: Uint8Array | null;
  /** Receives the position to resume from. Lookup commands only; max(key_size, 4) bytes. */
  readonly outBatch?: Uint8Array | null;
  /** count * key_size bytes. */
  readonly keys: Uint8Array;
  /** count * value size bytes (per-CPU maps: a slot per possible CPU). Not used by delete. */
  readonly values?: Uint8Array | null;
  /** Elements the buffers hold. */
  readonly count: number;
  readonly elemFlags?: bigint | number;
  readonly flags?: bigint | number;
}

/** Result of a batch command. */
export interface MapBatchResult {
  /** Elements processed. */
  readonly count: number;
  /** True when the walk reached the end of the map (the kernel answered ENOENT). Lookup commands only. */
  readonly done: boolean;
}

function batch(call: NativeMapBatch, command: string, attr: MapBatchAttr, endIsOk: boolean): MapBatchResult {
  v.attr('attr', attr);
  const results = new Uint32Array(1);
  const ret = callMapBatch(call, {
    mapFd: v.fd('attr.mapFd', attr.mapFd),
    inBatch: attr.inBatch == null ? null : v.bytes('attr.inBatch', attr.inBatch),
    outBatch: attr.outBatch == null ? null : v.bytes('attr.outBatch', attr.outBatch),
    keys: v.bytes('attr.keys', attr.keys),
    values: attr.values == null ? null : v.bytes('attr.values', attr.values),
    count: v.u32('attr.count', attr.count),
    elemFlags: v.optionalU64('attr.elemFlags', attr.elemFlags),
    flags: v.optionalU64('attr.flags', attr.flags),
    results,
  });
  if (endIsOk && ret === -Errno.ENOENT) return { count: results[0]!, done: true };
  checkResult(ret, command);
  return { count: results[0]!, done: false };
}

/**
 * BPF_MAP_LOOKUP_BATCH: copies up to `count` elements into keys/values, starting at inBatch.
 *
 * Minimum kernel: 5.6 (hash and array maps; other types add it later).
 * @throws {BpfError} EINVAL/ENOTSUPP for map types without batch operations, ...
 */
export function bpfMapLookupBatch(attr: MapBatchAttr): MapBatchResult {
  return batch(native.mapLookupBatch, 'BPF_MAP_LOOKUP_BATCH', attr, true);
}

/**
 * BPF_MAP_LOOKUP_AND_DELETE_BATCH: as {@link bpfMapLookupBatch}, deleting what it returns.
 *
 * Minimum kernel: 5.6 (hash maps).
 * @throws {BpfError} as bpfMapLookupBatch.
 */
export function bpfMapLookupAndDeleteBatch(attr: MapBatchAttr): MapBatchResult {
  return batch(native.mapLookupAndDeleteBatch, 'BPF_MAP_LOOKUP_AND_DELETE_BATCH', attr, true);
}

/**
 * BPF_MAP_UPDATE_BATCH: stores `count` key/value pairs.
 *
 * Minimum kernel: 5.6.
 * @throws {BpfError} with the errno of the first element that failed; `count` of earlier ones were stored.
 */
export function bpfMapUpdateBatch(attr: MapBatchAttr): MapBatchResult {
  return batch(native.mapUpdateBatch, 'BPF_MAP_UPDATE_BATCH', attr, false);
}

/**
 * BPF_MAP_DELETE_BATCH: deletes `count` keys.
 *
 * Minimum kernel: 5.6.
 * @throws {BpfError} ENOENT for an absent key (earlier ones were deleted), ...
 */
export function bpfMapDeleteBatch(attr: MapBatchAttr): MapBatchResult {
  return batch(native.mapDeleteBatch, 'BPF_MAP_DELETE_BATCH', attr, false);
}
